CREATE EXTENSION citext;
CREATE TABLE public.t (name public.citext);
