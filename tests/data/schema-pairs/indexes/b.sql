CREATE TABLE public.t (a integer, b text, c timestamptz, d integer);
CREATE INDEX t_a_idx ON public.t (a DESC NULLS LAST);
CREATE UNIQUE INDEX t_b_lower ON public.t (lower(b)) WHERE c IS NOT NULL;
CREATE INDEX t_cover ON public.t USING btree (a) INCLUDE (b);
CREATE INDEX t_hash ON public.t USING hash (b);
