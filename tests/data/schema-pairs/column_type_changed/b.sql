CREATE TABLE public.t (id bigint PRIMARY KEY, qty bigint, label varchar(50), price numeric(12,4));
