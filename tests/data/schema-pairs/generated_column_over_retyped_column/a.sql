CREATE TABLE public.t (a integer, doubled integer GENERATED ALWAYS AS (a * 2) STORED);
