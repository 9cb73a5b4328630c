-- Exactly what scripts/demo creates: the runner must keep working with it.
CREATE SCHEMA paritydeck;
CREATE TABLE paritydeck.schema_migrations (
    version     text PRIMARY KEY,
    name        text NOT NULL,
    checksum    text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now(),
    applied_by  text NOT NULL DEFAULT current_user,
    duration_ms integer NOT NULL DEFAULT 0,
    success     boolean NOT NULL DEFAULT true
);
