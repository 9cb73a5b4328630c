-- A migration exercising what a naive split on ';' gets wrong.
CREATE TABLE notes (
    id   serial PRIMARY KEY,
    body text NOT NULL DEFAULT 'a;b' -- a ';' in a string
);

/* a block comment; with a semicolon */
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    NEW.body := NEW.body || ';';
    RETURN NEW;
END;
$body$;

INSERT INTO notes (body) VALUES (E'it''s; fine'), ($$x;y$$);
  SELECT 1
