CREATE TABLE public.t (id integer PRIMARY KEY, name text, extra jsonb, note varchar(20));
