CREATE TABLE public.p (id integer PRIMARY KEY);
CREATE TABLE public.t (id integer);
