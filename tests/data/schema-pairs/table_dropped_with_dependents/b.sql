CREATE TABLE public.child (id integer, parent_id integer);
