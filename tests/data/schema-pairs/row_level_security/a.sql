CREATE TABLE public.docs (id integer, owner text, public boolean);
