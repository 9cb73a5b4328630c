CREATE TYPE public.pair AS (x integer, y integer);
CREATE TYPE public.unused AS (a text);
