CREATE TABLE public.orders (id integer, region text) PARTITION BY LIST (region);
CREATE TABLE public.orders_eu PARTITION OF public.orders FOR VALUES IN ('de', 'fr', 'it');
CREATE TABLE public.orders_us PARTITION OF public.orders FOR VALUES IN ('us') PARTITION BY HASH (id);
CREATE TABLE public.orders_us_0 PARTITION OF public.orders_us FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE public.orders_us_1 PARTITION OF public.orders_us FOR VALUES WITH (MODULUS 2, REMAINDER 1);
