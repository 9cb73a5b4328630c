CREATE TABLE public.t (id serial PRIMARY KEY, name text, seq_no bigserial);
CREATE TABLE public.u (id smallserial);
