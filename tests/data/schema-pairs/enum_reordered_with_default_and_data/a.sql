CREATE TYPE public.mood AS ENUM ('low', 'mid', 'high');
CREATE TABLE public.t (id integer, m public.mood DEFAULT 'mid', history public.mood[]);
CREATE INDEX t_m ON public.t (m);
INSERT INTO public.t VALUES (1, 'low', ARRAY['low', 'high']::public.mood[]), (2, 'high', NULL);
