CREATE TABLE public.t (name text, tags text[]);
CREATE INDEX t_name ON public.t (name);
