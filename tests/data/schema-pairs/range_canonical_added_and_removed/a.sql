-- A range gains a canonical function (and another loses its own): each is created again
-- with the column that uses it; one range with a canonical function goes altogether.
CREATE TYPE public.slot AS RANGE (SUBTYPE = integer);
CREATE TYPE public.span_of_days;
CREATE FUNCTION public.span_of_days_canonical(public.span_of_days) RETURNS public.span_of_days
    LANGUAGE internal IMMUTABLE STRICT AS 'daterange_canonical';
CREATE TYPE public.span_of_days AS RANGE (SUBTYPE = date, CANONICAL = public.span_of_days_canonical);
CREATE TYPE public.old_ids;
CREATE FUNCTION public.old_ids_canonical(public.old_ids) RETURNS public.old_ids
    LANGUAGE internal IMMUTABLE STRICT AS 'int8range_canonical';
CREATE TYPE public.old_ids AS RANGE (SUBTYPE = bigint, CANONICAL = public.old_ids_canonical);
CREATE TABLE public.timetable (id integer PRIMARY KEY, slot public.slot, span public.span_of_days);
INSERT INTO public.timetable VALUES (1, '[1,3]', '[2025-01-01,2025-01-02]');
