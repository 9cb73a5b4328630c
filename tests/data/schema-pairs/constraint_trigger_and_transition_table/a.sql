CREATE TABLE public.t (id integer);
CREATE FUNCTION public.tf() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$;
