CREATE TABLE public.p (id integer PRIMARY KEY);
CREATE TABLE public.t (id integer, p_id integer REFERENCES public.p, qty integer DEFAULT 1 CHECK (qty > 0), tag text UNIQUE);
