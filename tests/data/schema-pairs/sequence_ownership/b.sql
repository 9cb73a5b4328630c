CREATE TABLE public.t (id integer, other integer);
CREATE SEQUENCE public.s OWNED BY public.t.other;
CREATE SEQUENCE public.free OWNED BY public.t.id;
