CREATE SEQUENCE public.numbers;
CREATE TABLE public.t (id integer DEFAULT nextval('public.numbers'));
