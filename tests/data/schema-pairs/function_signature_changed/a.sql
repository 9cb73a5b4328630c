CREATE FUNCTION public.one() RETURNS integer LANGUAGE sql AS $$SELECT 1$$;
CREATE TABLE public.t (id integer, v integer DEFAULT public.one());
