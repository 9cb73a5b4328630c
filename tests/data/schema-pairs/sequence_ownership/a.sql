CREATE TABLE public.t (id integer, other integer);
CREATE SEQUENCE public.s OWNED BY public.t.id;
CREATE SEQUENCE public.free;
