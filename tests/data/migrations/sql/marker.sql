SELECT 1;
-- paritydeck:no-transaction
CREATE INDEX CONCURRENTLY notes_body_idx ON notes (body);
