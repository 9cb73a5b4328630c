CREATE TABLE public.p (id integer, code text, CONSTRAINT p_code_key UNIQUE (code, id));
CREATE TABLE public.c (code text);
