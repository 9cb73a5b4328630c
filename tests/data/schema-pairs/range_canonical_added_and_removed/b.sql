-- A range gains a canonical function (and another loses its own): each is created again
-- with the column that uses it.
CREATE TYPE public.slot;
CREATE FUNCTION public.slot_canonical(public.slot) RETURNS public.slot
    LANGUAGE internal IMMUTABLE STRICT AS 'int4range_canonical';
CREATE TYPE public.slot AS RANGE (SUBTYPE = integer, CANONICAL = public.slot_canonical);
CREATE TYPE public.span_of_days AS RANGE (SUBTYPE = date);
CREATE TABLE public.timetable (id integer PRIMARY KEY, slot public.slot, span public.span_of_days);
INSERT INTO public.timetable VALUES (1, '[1,3]', '[2025-01-01,2025-01-02]');
