CREATE TABLE public.marker (id integer);
