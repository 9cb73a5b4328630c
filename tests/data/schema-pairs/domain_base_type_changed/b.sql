CREATE DOMAIN public.code AS varchar(20);
CREATE TABLE public.t (id integer, c public.code);
