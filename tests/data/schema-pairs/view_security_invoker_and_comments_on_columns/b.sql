CREATE TABLE public.t (id integer, v text);
COMMENT ON COLUMN public.t.v IS 'value';
CREATE VIEW public.v WITH (security_invoker = true) AS SELECT id, v FROM public.t;
