CREATE TABLE public.t (id integer, secret boolean);
CREATE VIEW public.v AS SELECT id FROM public.t WHERE NOT secret;
