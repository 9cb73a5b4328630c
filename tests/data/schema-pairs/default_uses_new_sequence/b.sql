CREATE SEQUENCE public.counter START WITH 42;
CREATE TABLE public.t (id integer DEFAULT nextval('public.counter'), n integer);
