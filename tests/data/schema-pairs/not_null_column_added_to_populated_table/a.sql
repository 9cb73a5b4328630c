CREATE TABLE public.t (id integer PRIMARY KEY);
INSERT INTO public.t SELECT generate_series(1, 10);
