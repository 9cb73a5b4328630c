CREATE TABLE public.t (a integer CHECK (a >= 0), b integer, CONSTRAINT b_small CHECK (b < 100) NOT VALID, CONSTRAINT both_set CHECK (a IS NOT NULL AND b IS NOT NULL));
