CREATE EXTENSION citext VERSION '1.5';
CREATE TABLE public.t (name public.citext);
