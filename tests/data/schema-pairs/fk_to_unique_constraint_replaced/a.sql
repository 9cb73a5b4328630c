CREATE TABLE public.p (id integer, code text, CONSTRAINT p_code_key UNIQUE (code));
CREATE TABLE public.c (code text REFERENCES public.p (code));
