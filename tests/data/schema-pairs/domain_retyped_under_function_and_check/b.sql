CREATE DOMAIN public.amount AS bigint CHECK (VALUE >= 0);
CREATE FUNCTION public.double_it(a public.amount) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT a * 2';
CREATE TABLE public.t (id integer, a public.amount DEFAULT 0, CHECK (public.double_it(a) < 1000));
