CREATE TABLE public.t (id integer, legacy_no integer);
CREATE SEQUENCE public.numbers OWNED BY public.t.legacy_no;
ALTER TABLE public.t ALTER COLUMN legacy_no SET DEFAULT nextval('public.numbers');
