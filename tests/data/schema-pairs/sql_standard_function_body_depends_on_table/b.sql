CREATE TABLE public.items (id integer, price numeric);
CREATE FUNCTION public.total() RETURNS numeric LANGUAGE sql STABLE BEGIN ATOMIC SELECT sum(price) FROM public.items; END;
CREATE VIEW public.summary AS SELECT public.total() AS total;
