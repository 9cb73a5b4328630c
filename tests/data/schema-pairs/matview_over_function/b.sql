CREATE FUNCTION public.scale() RETURNS numeric LANGUAGE sql IMMUTABLE AS 'SELECT 2.5';
CREATE TABLE public.t (n integer);
CREATE MATERIALIZED VIEW public.m AS SELECT n * public.scale() AS s FROM public.t;
