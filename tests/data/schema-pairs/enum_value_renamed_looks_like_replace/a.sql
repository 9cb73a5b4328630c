CREATE TYPE public.color AS ENUM ('red', 'grene', 'blue');
CREATE TABLE public.t (c public.color);
