CREATE TABLE public.t (a integer, b text, c timestamptz, d integer);
CREATE INDEX t_a_idx ON public.t (a);
CREATE INDEX old_idx ON public.t (d);
