CREATE TYPE public.state AS ENUM ('a', 'b');
CREATE TABLE public.t (id integer, state public.state);
CREATE INDEX t_state ON public.t (state);
