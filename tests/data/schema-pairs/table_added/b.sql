CREATE TABLE public.customers (id integer PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now());
