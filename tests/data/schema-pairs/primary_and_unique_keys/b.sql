CREATE TABLE public.t (id integer, email text, code text,
  CONSTRAINT t_pk PRIMARY KEY (id),
  CONSTRAINT t_email_uq UNIQUE (email) DEFERRABLE INITIALLY DEFERRED,
  UNIQUE (code, email));
