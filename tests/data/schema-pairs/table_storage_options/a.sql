CREATE TABLE public.t (id integer) WITH (fillfactor = 70);
