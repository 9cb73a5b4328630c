CREATE EXTENSION citext VERSION '1.6';
CREATE TABLE public.t (name public.citext);
