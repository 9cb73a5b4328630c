CREATE TYPE public.mood AS ENUM ('furious', 'sad', 'ok', 'happy', 'ecstatic');
CREATE TABLE public.t (m public.mood DEFAULT 'sad');
