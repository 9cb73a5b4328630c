CREATE TABLE public.t (id integer, grp text, n integer);
CREATE MATERIALIZED VIEW public.totals AS SELECT grp, sum(n) AS total, count(*) AS cnt FROM public.t GROUP BY grp;
CREATE UNIQUE INDEX totals_grp ON public.totals (grp);
CREATE MATERIALIZED VIEW public.maxes AS SELECT max(n) AS top FROM public.t;
