-- golang-migrate's postgres driver: one row, the current version and the dirty flag.
CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
