CREATE TABLE public.t (a integer, b integer GENERATED ALWAYS AS (a * 2) STORED, c text);
