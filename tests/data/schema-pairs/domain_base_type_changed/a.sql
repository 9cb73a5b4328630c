CREATE DOMAIN public.code AS varchar(10);
CREATE TABLE public.t (id integer, c public.code);
