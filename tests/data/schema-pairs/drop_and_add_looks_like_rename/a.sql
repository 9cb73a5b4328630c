CREATE TABLE public.users (id integer, full_name text);
CREATE TABLE public.old_table (id integer, x text);
