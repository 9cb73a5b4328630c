-- Range types with a canonical function. Only a function written in C can take the range's
-- shell type, so these are the server's own canonical functions (int4range_canonical,
-- daterange_canonical) declared LANGUAGE internal for the new ranges (superuser only).
-- Shell type, function, range; a multirange and a column of each; a function over it.
CREATE SCHEMA plan;
CREATE TYPE plan.weekrange;
CREATE FUNCTION plan.weekrange_canonical(plan.weekrange) RETURNS plan.weekrange
    LANGUAGE internal IMMUTABLE STRICT AS 'daterange_canonical';
CREATE TYPE plan.weekrange AS RANGE (SUBTYPE = date, CANONICAL = plan.weekrange_canonical,
    MULTIRANGE_TYPE_NAME = plan.weekranges);
COMMENT ON TYPE plan.weekrange IS 'discrete: [a,b] is stored as [a,b+1)';
CREATE TYPE public.seats;
CREATE FUNCTION public.seats_canonical(public.seats) RETURNS public.seats
    LANGUAGE internal IMMUTABLE STRICT AS 'int4range_canonical';
CREATE TYPE public.seats AS RANGE (SUBTYPE = integer, CANONICAL = public.seats_canonical);
CREATE TABLE plan.booking (
    id integer PRIMARY KEY,
    days plan.weekrange NOT NULL DEFAULT '[2025-01-01,2025-01-07]',
    row_seats public.seats,
    holidays plan.weekranges
);
CREATE FUNCTION plan.nights(d plan.weekrange) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT upper(d) - lower(d) $$;
