CREATE SCHEMA billing;
CREATE TABLE public.customers (id integer PRIMARY KEY);
