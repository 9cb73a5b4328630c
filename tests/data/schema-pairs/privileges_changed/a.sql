-- The same objects, only their privileges differ (prod granted by hand, dev never did):
-- invisible to pg_dump --no-privileges, visible to the diff. Grants come and go, gain and
-- lose WITH GRANT OPTION, move between table and column level; default privileges change.
DO $$ BEGIN CREATE ROLE pd_reader NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE pd_writer NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE public.accounts (id integer PRIMARY KEY, email text, secret text);
GRANT SELECT ON public.accounts TO pd_reader;
GRANT SELECT (id, email) ON public.accounts TO pd_writer;
GRANT UPDATE (email) ON public.accounts TO pd_writer;
CREATE SEQUENCE public.ticket_no;
CREATE FUNCTION public.ping() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
CREATE SCHEMA reporting;
GRANT USAGE ON SCHEMA reporting TO pd_reader;
CREATE TYPE public.level AS ENUM ('low', 'high');
ALTER DEFAULT PRIVILEGES FOR ROLE postgres GRANT SELECT ON TABLES TO pd_reader;
