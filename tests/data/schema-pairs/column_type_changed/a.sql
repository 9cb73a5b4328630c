CREATE TABLE public.t (id integer PRIMARY KEY, qty integer, label text, price numeric(10,2));
