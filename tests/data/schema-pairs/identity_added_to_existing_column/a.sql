CREATE TABLE public.t (id integer, n integer DEFAULT 0);
