CREATE TABLE public.t (id integer, updated_at timestamptz);
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.updated_at := clock_timestamp(); RETURN NEW; END$$;
CREATE TRIGGER t_touch BEFORE INSERT OR UPDATE OF id ON public.t FOR EACH ROW WHEN (NEW.id IS NOT NULL) EXECUTE FUNCTION public.touch();
CREATE FUNCTION public.audit() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$;
CREATE TRIGGER t_audit AFTER DELETE ON public.t FOR EACH STATEMENT EXECUTE FUNCTION public.audit();
