CREATE TABLE public.readings (sensor text NOT NULL, value integer NOT NULL);

CREATE FUNCTION public.add_clamped(state integer, v integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT least(state + v, 1000) $$;
CREATE FUNCTION public.halve(state integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT state / 2 $$;

-- initcond and finalfunc changed.
CREATE AGGREGATE public.clamped_sum(integer) (SFUNC = public.add_clamped, STYPE = integer, INITCOND = '10', FINALFUNC = public.halve);
CREATE AGGREGATE public.new_total(integer) (SFUNC = int4pl, STYPE = integer);
COMMENT ON AGGREGATE public.new_total(integer) IS 'renamed from old_total';

CREATE VIEW public.per_sensor AS
    SELECT sensor, public.clamped_sum(value) AS total, public.new_total(value) AS plain
    FROM public.readings GROUP BY sensor;
