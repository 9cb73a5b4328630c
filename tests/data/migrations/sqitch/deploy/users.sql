-- Deploy flipr:users to pg
-- requires: appschema

BEGIN;

CREATE TABLE flipr.users (
    nickname  TEXT PRIMARY KEY
);

COMMIT;
