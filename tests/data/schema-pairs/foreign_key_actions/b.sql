CREATE TABLE public.parent (id integer PRIMARY KEY, k1 integer, k2 integer, UNIQUE (k1, k2));
CREATE TABLE public.child (id integer, parent_id integer REFERENCES public.parent ON UPDATE SET NULL ON DELETE RESTRICT DEFERRABLE,
  a integer, b integer, FOREIGN KEY (a, b) REFERENCES public.parent (k1, k2) MATCH FULL);
