CREATE TABLE public.t (id integer, n integer);
