-- Prisma Migrate's history table.
CREATE TABLE "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES
    ('11111111-1111-1111-1111-111111111111', 'aa', now() - interval '2 days', '20240101000000_init', now() - interval '2 days 1 second', 1),
    ('22222222-2222-2222-2222-222222222222', 'bb', NULL, '20240102000000_add_email', now() - interval '1 day', 0);
INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, rolled_back_at, started_at) VALUES
    ('33333333-3333-3333-3333-333333333333', 'cc', NULL, '20240101500000_rolled_back', now(), now() - interval '3 days');
