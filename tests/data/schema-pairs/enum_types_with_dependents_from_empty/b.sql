-- Enums with everything that can use them, created from empty and dropped to empty in
-- dependency order: a domain over an enum, arrays, defaults, a function signature and a
-- view calling it, a composite type attribute, a check constraint with an enum literal.
CREATE SCHEMA crm;
CREATE TYPE crm.stage AS ENUM ('lead', 'customer', 'churned');
CREATE TYPE crm.channel AS ENUM ('mail', 'phone');
CREATE DOMAIN crm.active_stage AS crm.stage CHECK (VALUE <> 'churned');
CREATE TYPE crm.contact_point AS (via crm.channel, address text);
CREATE TABLE crm.account (
    id integer PRIMARY KEY,
    stage crm.active_stage NOT NULL DEFAULT 'lead',
    history crm.stage[] DEFAULT '{lead}',
    preferred crm.contact_point,
    channel crm.channel DEFAULT 'mail' CHECK (channel <> 'phone' OR id > 100)
);
CREATE FUNCTION crm.next_stage(s crm.stage) RETURNS crm.stage LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE s WHEN 'lead' THEN 'customer'::crm.stage ELSE s END $$;
CREATE VIEW crm.upcoming AS SELECT id, crm.next_stage(stage) AS next FROM crm.account;
