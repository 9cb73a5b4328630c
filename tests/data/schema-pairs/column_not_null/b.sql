CREATE TABLE public.t (a integer, b text NOT NULL);
