CREATE TABLE public.t (name text COLLATE "C", code text);
