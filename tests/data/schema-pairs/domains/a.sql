CREATE DOMAIN public.positive AS integer CHECK (VALUE > 0);
CREATE DOMAIN public.email AS text;
CREATE TABLE public.t (n public.positive, e public.email);
