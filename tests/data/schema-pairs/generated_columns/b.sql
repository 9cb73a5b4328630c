CREATE TABLE public.t (a integer, b integer GENERATED ALWAYS AS (a * 3) STORED, c text, d text GENERATED ALWAYS AS (upper(c)) STORED);
