CREATE TABLE public.m (id integer, k integer) PARTITION BY RANGE (k);
CREATE TABLE public.m1 PARTITION OF public.m FOR VALUES FROM (0) TO (10);
CREATE TABLE public.m2 (id integer, k integer);
