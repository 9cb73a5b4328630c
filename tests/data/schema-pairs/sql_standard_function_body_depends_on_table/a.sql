CREATE TABLE public.items (id integer, price numeric);
