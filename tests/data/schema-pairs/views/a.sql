CREATE TABLE public.t (id integer, name text, active boolean);
CREATE VIEW public.v_all AS SELECT id, name FROM public.t;
CREATE VIEW public.v_old AS SELECT id FROM public.t;
