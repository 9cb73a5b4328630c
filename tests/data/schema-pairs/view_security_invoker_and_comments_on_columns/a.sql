CREATE TABLE public.t (id integer, v text);
CREATE VIEW public.v AS SELECT id, v FROM public.t;
