-- An event trigger whose tags change (recreated), one disabled in place, one whose
-- function is dropped with it, one renamed.
CREATE FUNCTION public.quiet() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;
CREATE FUNCTION public.old_handler() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;
CREATE EVENT TRIGGER watch ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION public.quiet();
CREATE EVENT TRIGGER toggled ON ddl_command_end EXECUTE FUNCTION public.quiet();
CREATE EVENT TRIGGER goes_away ON sql_drop EXECUTE FUNCTION public.old_handler();
CREATE EVENT TRIGGER first_name ON table_rewrite EXECUTE FUNCTION public.quiet();
