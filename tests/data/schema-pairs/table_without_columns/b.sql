CREATE TABLE public.marker ();
CREATE TABLE public.empty ();
