CREATE TABLE public.t (a integer, CONSTRAINT a_must_be_positive CHECK (a > 0));
