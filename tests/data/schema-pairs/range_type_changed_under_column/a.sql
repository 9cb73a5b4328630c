-- A range type whose definition changes: dropped and created again with the column and
-- function that use it; another range removed.
CREATE TYPE public.floatrange AS RANGE (SUBTYPE = double precision);
CREATE TYPE public.unused_range AS RANGE (SUBTYPE = date);
CREATE TABLE public.measure (id integer, spread public.floatrange);
CREATE FUNCTION public.width(r public.floatrange) RETURNS double precision
    LANGUAGE sql IMMUTABLE AS $$ SELECT upper(r) - lower(r) $$;
