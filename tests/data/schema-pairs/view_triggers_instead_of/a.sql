CREATE TABLE public.t (id integer);
CREATE VIEW public.v AS SELECT id FROM public.t;
