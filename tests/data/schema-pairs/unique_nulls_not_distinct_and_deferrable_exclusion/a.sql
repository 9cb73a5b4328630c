CREATE TABLE public.t (a integer, b integer, r int4range);
