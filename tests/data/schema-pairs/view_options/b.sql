CREATE TABLE public.t (id integer, secret boolean);
CREATE VIEW public.v WITH (security_barrier = true) AS SELECT id FROM public.t WHERE NOT secret;
CREATE VIEW public.w AS SELECT id, secret FROM public.t WHERE id > 0 WITH LOCAL CHECK OPTION;
