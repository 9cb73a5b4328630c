-- Event triggers: created after their function, dropped before it; tags; enabled state;
-- a comment. The functions only record what happened, so the migration script itself
-- can run under them.
CREATE SCHEMA audit;
CREATE TABLE audit.ddl_log (tag text, at timestamp with time zone DEFAULT now());
CREATE FUNCTION audit.log_ddl() RETURNS event_trigger
    LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit.ddl_log (tag) VALUES (tg_tag); END $$;
CREATE FUNCTION audit.note_drop() RETURNS event_trigger
    LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE 'dropped'; END $$;
CREATE EVENT TRIGGER log_tables ON ddl_command_end
    WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE')
    EXECUTE FUNCTION audit.log_ddl();
CREATE EVENT TRIGGER "notice on drop" ON sql_drop EXECUTE FUNCTION audit.note_drop();
ALTER EVENT TRIGGER "notice on drop" DISABLE;
CREATE EVENT TRIGGER replica_only ON ddl_command_start EXECUTE FUNCTION audit.note_drop();
ALTER EVENT TRIGGER replica_only ENABLE REPLICA;
COMMENT ON EVENT TRIGGER log_tables IS 'who changed which table';
