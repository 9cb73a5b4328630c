CREATE TABLE public.t (a integer CHECK (a > 0), b integer, CONSTRAINT b_small CHECK (b < 10));
