-- An aggregate whose definition changes while a view uses it: the view is dropped, the
-- aggregate replaced and the view created again. Another aggregate is renamed (removed +
-- added) and one goes away with the function it was built on.
CREATE TABLE public.readings (sensor text NOT NULL, value integer NOT NULL);

CREATE FUNCTION public.add_clamped(state integer, v integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT least(state + v, 1000) $$;
CREATE FUNCTION public.halve(state integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT state / 2 $$;

CREATE AGGREGATE public.clamped_sum(integer) (SFUNC = public.add_clamped, STYPE = integer, INITCOND = '0');
CREATE AGGREGATE public.old_total(integer) (SFUNC = int4pl, STYPE = integer);

CREATE FUNCTION public.concat_step(state text, v text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT state || v $$;
CREATE AGGREGATE public.glue(text) (SFUNC = public.concat_step, STYPE = text, INITCOND = '');

CREATE VIEW public.per_sensor AS
    SELECT sensor, public.clamped_sum(value) AS total FROM public.readings GROUP BY sensor;
