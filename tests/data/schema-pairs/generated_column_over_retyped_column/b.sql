CREATE TABLE public.t (a bigint, doubled bigint GENERATED ALWAYS AS (a * 2) STORED);
