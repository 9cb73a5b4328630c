CREATE TABLE public.t (a integer, CONSTRAINT a_positive CHECK (a > 0));
