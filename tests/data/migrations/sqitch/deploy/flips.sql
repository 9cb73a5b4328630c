-- Deploy flipr:flips to pg

BEGIN;

CREATE TABLE flipr.flips (
    id SERIAL PRIMARY KEY,
    nickname TEXT NOT NULL REFERENCES flipr.users(nickname)
);

COMMIT;
