CREATE TABLE public.t (id integer PRIMARY KEY, amount bigint, label text);
CREATE VIEW public.v AS SELECT id, amount * 2 AS doubled FROM public.t;
