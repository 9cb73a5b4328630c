CREATE TABLE public.t (id integer) WITH (fillfactor = 90, autovacuum_enabled = false);
