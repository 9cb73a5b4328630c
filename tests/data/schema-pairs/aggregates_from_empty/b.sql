-- User-defined aggregates of every flavour, and a view that uses them: the aggregates
-- must be created after their functions and before the view (and dropped the other way).
CREATE SCHEMA stats;

CREATE TABLE stats.sample (grp integer NOT NULL, v numeric NOT NULL, w double precision);

CREATE FUNCTION stats.sum_sq_step(state numeric, v numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT state + v * v $$;
CREATE FUNCTION stats.sum_sq_inverse(state numeric, v numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT state - v * v $$;
CREATE FUNCTION stats.sum_sq_combine(a numeric, b numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT a + b $$;
CREATE FUNCTION stats.root(state numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT sqrt(state) $$;

-- sfunc, stype, initcond, finalfunc, combinefunc, parallel, moving-aggregate options.
CREATE AGGREGATE stats.norm(numeric) (
    SFUNC = stats.sum_sq_step,
    STYPE = numeric,
    INITCOND = '0',
    FINALFUNC = stats.root,
    COMBINEFUNC = stats.sum_sq_combine,
    PARALLEL = SAFE,
    MSFUNC = stats.sum_sq_step,
    MINVFUNC = stats.sum_sq_inverse,
    MSTYPE = numeric,
    MINITCOND = '0',
    MFINALFUNC = stats.root
);
COMMENT ON AGGREGATE stats.norm(numeric) IS 'Euclidean norm';

-- A built-in state function and a sort operator (a MAX-like aggregate).
CREATE AGGREGATE stats.biggest(integer) (SFUNC = int4larger, STYPE = integer, SORTOP = >);

-- No arguments: written count(*)-style.
CREATE FUNCTION stats.tick(state bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE AS $$ SELECT state + 1 $$;
CREATE AGGREGATE stats.ticks(*) (SFUNC = stats.tick, STYPE = bigint, INITCOND = '0');

-- Ordered-set aggregate with a direct argument, and its final function with extra args.
CREATE FUNCTION stats.pick_step(state double precision[], v double precision)
    RETURNS double precision[] LANGUAGE sql IMMUTABLE AS $$ SELECT state || v $$;
CREATE FUNCTION stats.pick_final(state double precision[], k integer, v double precision)
    RETURNS double precision LANGUAGE sql IMMUTABLE AS $$ SELECT state[k] $$;
CREATE AGGREGATE stats.nth_sorted(integer ORDER BY double precision) (
    SFUNC = stats.pick_step,
    STYPE = double precision[],
    INITCOND = '{}',
    FINALFUNC = stats.pick_final,
    FINALFUNC_EXTRA
);

CREATE VIEW stats.summary AS
    SELECT grp, stats.norm(v) AS norm, stats.biggest(grp) AS top, stats.ticks(*) AS n,
           stats.nth_sorted(1) WITHIN GROUP (ORDER BY w) AS first_w,
           stats.norm(v) OVER () AS running
    FROM stats.sample GROUP BY grp, v;
