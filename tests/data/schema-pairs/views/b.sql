CREATE TABLE public.t (id integer, name text, active boolean);
CREATE VIEW public.v_all AS SELECT id, name, active FROM public.t WHERE active;
CREATE VIEW public.v_active_names AS SELECT name FROM public.v_all;
