CREATE TABLE public.metrics (at date, v numeric);
