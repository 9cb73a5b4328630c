CREATE TABLE public.t (a integer DEFAULT 1, b text DEFAULT 'x', c boolean, d timestamptz DEFAULT now());
