CREATE TABLE public.t (name text, code text COLLATE "C");
