CREATE TABLE public.parent (id integer PRIMARY KEY);
CREATE TABLE public.child (id integer, parent_id integer REFERENCES public.parent);
CREATE VIEW public.pv AS SELECT p.id FROM public.parent p JOIN public.child c ON c.parent_id = p.id;
