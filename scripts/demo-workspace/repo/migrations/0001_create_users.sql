-- Accounts: podcast hosts and listeners.
-- citext is a trusted extension (PostgreSQL 13+), so the database owner may create it.
CREATE EXTENSION IF NOT EXISTS citext;

CREATE TABLE users (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email        citext      NOT NULL UNIQUE,
    display_name text        NOT NULL,
    is_host      boolean     NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE users IS 'People who host shows or listen to them.';
