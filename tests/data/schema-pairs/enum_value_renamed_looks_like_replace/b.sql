CREATE TYPE public.color AS ENUM ('red', 'green', 'blue');
CREATE TABLE public.t (c public.color);
