CREATE TABLE public.t (id integer, state text);
CREATE INDEX t_state ON public.t (state);
