CREATE FUNCTION public.float_diff(a double precision, b double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT a - b $$;
CREATE TYPE public.floatrange AS RANGE (SUBTYPE = double precision, SUBTYPE_DIFF = public.float_diff);
CREATE TABLE public.measure (id integer, spread public.floatrange);
CREATE FUNCTION public.width(r public.floatrange) RETURNS double precision
    LANGUAGE sql IMMUTABLE AS $$ SELECT upper(r) - lower(r) $$;
