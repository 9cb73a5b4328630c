CREATE DOMAIN public.positive AS integer DEFAULT 1 NOT NULL CONSTRAINT positive_check CHECK (VALUE >= 1) CONSTRAINT small CHECK (VALUE < 1000);
CREATE DOMAIN public.email AS text CHECK (VALUE LIKE '%@%');
CREATE TABLE public.t (n public.positive, e public.email);
