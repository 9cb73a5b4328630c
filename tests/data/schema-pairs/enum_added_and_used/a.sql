CREATE TABLE public.t (id integer, state text);
