CREATE FUNCTION public.add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
CREATE FUNCTION public.greet(name text) RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN 'hi ' || name; END $$;
CREATE FUNCTION public.gone() RETURNS void LANGUAGE sql AS '';
