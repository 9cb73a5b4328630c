CREATE TABLE public.p (id integer, code text);
CREATE UNIQUE INDEX p_code_uidx ON public.p (code);
CREATE TABLE public.c (code text REFERENCES public.p (code));
