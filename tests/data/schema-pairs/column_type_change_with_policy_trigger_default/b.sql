CREATE TABLE public.t (id integer, amount bigint DEFAULT 1);
CREATE INDEX t_amount ON public.t (amount);
ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;
CREATE POLICY positive ON public.t USING (amount > 0);
CREATE FUNCTION public.noop() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER big BEFORE UPDATE ON public.t FOR EACH ROW WHEN (NEW.amount > 100) EXECUTE FUNCTION public.noop();
