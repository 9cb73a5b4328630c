-- Range types with a subtype_diff function, a non-default operator class, a collation
-- and a multirange name of their own; columns of the range and of its multirange; an
-- exclusion constraint over the range; a function returning the multirange.
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE SCHEMA cal;
CREATE FUNCTION cal.time_diff(a time without time zone, b time without time zone) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT EXTRACT(EPOCH FROM (a - b)) $$;
CREATE TYPE cal.timerange AS RANGE (SUBTYPE = time without time zone, SUBTYPE_DIFF = cal.time_diff);
CREATE TYPE cal.textrange_c AS RANGE (SUBTYPE = text, COLLATION = "C", SUBTYPE_OPCLASS = text_pattern_ops);
CREATE TYPE cal.span AS RANGE (SUBTYPE = integer, MULTIRANGE_TYPE_NAME = cal.spans);
COMMENT ON TYPE cal.timerange IS 'opening hours';
CREATE TABLE cal.opening (
    shop integer NOT NULL,
    hours cal.timerange NOT NULL,
    breaks cal.timemultirange,
    letters cal.textrange_c,
    ids cal.spans DEFAULT '{}',
    EXCLUDE USING gist (shop WITH =, hours WITH &&)
);
CREATE FUNCTION cal.all_hours(s integer) RETURNS cal.timemultirange
    LANGUAGE sql STABLE AS $$ SELECT range_agg(hours) FROM cal.opening WHERE shop = s $$;
