CREATE TYPE public.status AS ENUM ('new', 'old', 'legacy');
CREATE TABLE public.t (id integer, s public.status);
CREATE VIEW public.v AS SELECT id, s FROM public.t;
