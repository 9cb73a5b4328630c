CREATE TABLE public.users (id integer, display_name text);
CREATE TABLE public.new_table (id integer, x text);
