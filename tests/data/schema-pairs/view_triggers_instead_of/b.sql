CREATE TABLE public.t (id integer);
CREATE VIEW public.v AS SELECT id FROM public.t;
CREATE FUNCTION public.v_ins() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN INSERT INTO public.t VALUES (NEW.id); RETURN NEW; END$$;
CREATE TRIGGER v_ins INSTEAD OF INSERT ON public.v FOR EACH ROW EXECUTE FUNCTION public.v_ins();
