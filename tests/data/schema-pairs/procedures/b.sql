CREATE TABLE public.log (msg text, at timestamptz DEFAULT now());
CREATE PROCEDURE public.note(m text) LANGUAGE sql AS $$INSERT INTO public.log (msg) VALUES (upper(m))$$;
CREATE PROCEDURE public.purge() LANGUAGE plpgsql AS $$BEGIN DELETE FROM public.log; END$$;
