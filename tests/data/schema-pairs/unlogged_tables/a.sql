CREATE UNLOGGED TABLE public.cache (k text PRIMARY KEY, v text);
CREATE TABLE public.durable (id integer);
