CREATE TYPE public.state AS ENUM ('on', 'off');
CREATE TABLE public.t (id integer, state public.state);
