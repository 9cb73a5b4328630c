CREATE TABLE public.t (a integer DEFAULT 0, b text, c boolean DEFAULT false, d timestamptz);
