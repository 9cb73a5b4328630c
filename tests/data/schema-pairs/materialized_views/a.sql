CREATE TABLE public.t (id integer, grp text, n integer);
CREATE MATERIALIZED VIEW public.totals AS SELECT grp, sum(n) AS total FROM public.t GROUP BY grp;
CREATE INDEX totals_grp ON public.totals (grp);
