CREATE TABLE public.t (a integer, b integer, c integer);
CREATE VIEW public.base AS SELECT a, b FROM public.t;
CREATE VIEW public.top AS SELECT a FROM public.base;
