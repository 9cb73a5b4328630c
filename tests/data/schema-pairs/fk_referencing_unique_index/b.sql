CREATE TABLE public.p (id integer, code text);
CREATE UNIQUE INDEX p_code_uidx ON public.p (code) WHERE code IS NOT NULL;
CREATE UNIQUE INDEX p_id_code_uidx ON public.p (id, code);
CREATE TABLE public.c (id integer, code text, FOREIGN KEY (id, code) REFERENCES public.p (id, code));
