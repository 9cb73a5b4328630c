CREATE FUNCTION public.add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS 'SELECT a + b + 0';
CREATE FUNCTION public.add(a numeric, b numeric) RETURNS numeric LANGUAGE sql AS 'SELECT a + b';
CREATE FUNCTION public.greet(name text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$ BEGIN RETURN 'hello ' || name; END $$;
CREATE FUNCTION public.atomic_count() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM pg_catalog.pg_class; END;
