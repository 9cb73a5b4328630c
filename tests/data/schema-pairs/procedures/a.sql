CREATE TABLE public.log (msg text);
CREATE PROCEDURE public.note(m text) LANGUAGE sql AS $$INSERT INTO public.log VALUES (m)$$;
