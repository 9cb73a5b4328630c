CREATE TABLE public.t (id integer, extra text);
