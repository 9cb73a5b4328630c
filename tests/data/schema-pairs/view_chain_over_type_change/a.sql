CREATE TABLE public.t (id integer, amount integer);
CREATE VIEW public.v1 AS SELECT id, amount FROM public.t;
CREATE VIEW public.v2 AS SELECT id, amount + 1 AS next FROM public.v1;
CREATE MATERIALIZED VIEW public.m AS SELECT sum(amount) AS total FROM public.v1;
