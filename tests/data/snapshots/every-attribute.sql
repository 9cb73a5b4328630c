-- One schema with every attribute the snapshot records, for the pinned fingerprint and
-- snapshot-cache text (tst_schema, snapshotTextAndFingerprintArePinned).
DO $$ BEGIN CREATE ROLE pd_pin_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'the application';
GRANT USAGE ON SCHEMA app TO pd_pin_reader;
CREATE EXTENSION citext WITH SCHEMA app;
CREATE COLLATION app.nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN app.positive AS integer DEFAULT 1 NOT NULL
    CONSTRAINT positive_check CHECK (VALUE > 0);
CREATE DOMAIN app.code AS text COLLATE "C" CONSTRAINT code_length CHECK (length(VALUE) < 9);
CREATE TYPE app.point2 AS (x double precision, y double precision);
CREATE TYPE app.floatrange AS RANGE (subtype = double precision, subtype_diff = float8mi);
CREATE SEQUENCE app.counter AS integer INCREMENT BY 2 MINVALUE 10 MAXVALUE 1000 START WITH 20
    CACHE 5 CYCLE;
CREATE FUNCTION app.double(x integer) RETURNS integer LANGUAGE sql IMMUTABLE
    AS $$ SELECT x * 2 $$;
CREATE PROCEDURE app.touch(n integer) LANGUAGE plpgsql AS $$ BEGIN PERFORM n; END $$;
CREATE AGGREGATE app.total(integer) (sfunc = int4pl, stype = integer, initcond = '0');
CREATE FUNCTION app.stamp() RETURNS trigger LANGUAGE plpgsql
    AS $$ BEGIN NEW.touched := now(); RETURN NEW; END $$;
CREATE FUNCTION app.on_ddl() RETURNS event_trigger LANGUAGE plpgsql
    AS $$ BEGIN RAISE NOTICE 'ddl'; END $$;
GRANT EXECUTE ON FUNCTION app.double(integer) TO pd_pin_reader WITH GRANT OPTION;
CREATE TABLE app.parent (id integer NOT NULL, note text);
CREATE UNLOGGED TABLE app.orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code app.code,
    name app.citext COLLATE app.nocase,
    qty app.positive,
    mood app.mood DEFAULT 'ok',
    price numeric(10, 2) NOT NULL DEFAULT 0,
    total numeric GENERATED ALWAYS AS (price * 2) STORED,
    span app.floatrange,
    at app.point2,
    touched timestamp with time zone,
    parent_id integer,
    CONSTRAINT orders_price_check CHECK (price >= 0),
    CONSTRAINT orders_code_key UNIQUE (code),
    EXCLUDE USING gist (span WITH &&)
) WITH (fillfactor = 70);
COMMENT ON TABLE app.orders IS 'orders, unlogged';
COMMENT ON COLUMN app.orders.price IS 'in cents';
ALTER SEQUENCE app.counter OWNED BY app.orders.parent_id;
ALTER TABLE app.parent ADD PRIMARY KEY (id);
ALTER TABLE app.orders ADD CONSTRAINT orders_parent_fkey FOREIGN KEY (parent_id)
    REFERENCES app.parent (id) ON DELETE CASCADE;
ALTER TABLE app.orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.orders FORCE ROW LEVEL SECURITY;
CREATE INDEX orders_name ON app.orders (lower(name::text));
COMMENT ON INDEX app.orders_name IS 'by name';
GRANT SELECT, INSERT ON app.orders TO pd_pin_reader;
GRANT UPDATE (note) ON app.parent TO pd_pin_reader;
CREATE TABLE app.child (extra text) INHERITS (app.parent);
CREATE TABLE app.events (at date NOT NULL, what text) PARTITION BY RANGE (at);
CREATE TABLE app.events_2024 PARTITION OF app.events
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE VIEW app.cheap WITH (security_barrier = true) AS
    SELECT id, price FROM app.orders WHERE price < 10;
CREATE MATERIALIZED VIEW app.totals AS SELECT count(*) AS n FROM app.orders;
CREATE TRIGGER orders_stamp BEFORE UPDATE ON app.orders
    FOR EACH ROW EXECUTE FUNCTION app.stamp();
ALTER TABLE app.orders DISABLE TRIGGER orders_stamp;
CREATE TRIGGER orders_replica BEFORE INSERT ON app.orders
    FOR EACH ROW EXECUTE FUNCTION app.stamp();
ALTER TABLE app.orders ENABLE REPLICA TRIGGER orders_replica;
CREATE POLICY own_rows ON app.orders AS RESTRICTIVE FOR UPDATE TO pd_pin_reader
    USING (qty > 0) WITH CHECK (price > 0);
COMMENT ON POLICY own_rows ON app.orders IS 'only positive';
CREATE EVENT TRIGGER pin_ddl ON ddl_command_end WHEN TAG IN ('CREATE TABLE')
    EXECUTE FUNCTION app.on_ddl();
ALTER EVENT TRIGGER pin_ddl ENABLE ALWAYS;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO pd_pin_reader;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
