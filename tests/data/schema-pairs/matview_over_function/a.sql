CREATE FUNCTION public.scale() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 2';
CREATE TABLE public.t (n integer);
CREATE MATERIALIZED VIEW public.m AS SELECT n * public.scale() AS s FROM public.t;
