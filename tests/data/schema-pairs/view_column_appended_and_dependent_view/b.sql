CREATE TABLE public.t (a integer, b integer, c integer);
CREATE VIEW public.base AS SELECT b, a, c FROM public.t;
CREATE VIEW public.top AS SELECT a FROM public.base;
