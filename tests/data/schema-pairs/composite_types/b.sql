CREATE TYPE public.pair AS (x integer, y integer, label text COLLATE "C");
CREATE TYPE public.triple AS (p public.pair, z numeric);
