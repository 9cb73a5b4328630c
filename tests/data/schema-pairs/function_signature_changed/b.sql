CREATE FUNCTION public.one() RETURNS bigint LANGUAGE sql AS $$SELECT 1::bigint$$;
CREATE TABLE public.t (id integer, v integer DEFAULT public.one());
