-- created by dbmate new
-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY users_id_idx ON users (id);

-- migrate:down
DROP INDEX users_id_idx;
