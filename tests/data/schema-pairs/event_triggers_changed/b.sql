CREATE FUNCTION public.quiet() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;
CREATE EVENT TRIGGER watch ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'DROP TABLE', 'CREATE VIEW') EXECUTE FUNCTION public.quiet();
CREATE EVENT TRIGGER toggled ON ddl_command_end EXECUTE FUNCTION public.quiet();
ALTER EVENT TRIGGER toggled ENABLE ALWAYS;
CREATE EVENT TRIGGER second_name ON table_rewrite EXECUTE FUNCTION public.quiet();
