CREATE TABLE public.t (id integer PRIMARY KEY, name text);
