CREATE TYPE public.mood AS ENUM ('high', 'mid', 'low', 'unknown');
CREATE TABLE public.t (id integer, m public.mood DEFAULT 'mid', history public.mood[]);
CREATE INDEX t_m ON public.t (m);
