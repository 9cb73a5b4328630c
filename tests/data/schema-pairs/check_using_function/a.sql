CREATE FUNCTION public.valid(x integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT x > 0';
CREATE TABLE public.t (n integer CHECK (public.valid(n)));
