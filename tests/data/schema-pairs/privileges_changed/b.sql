DO $$ BEGIN CREATE ROLE pd_reader NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE pd_writer NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE public.accounts (id integer PRIMARY KEY, email text, secret text);
GRANT SELECT ON public.accounts TO pd_reader WITH GRANT OPTION;
GRANT SELECT (id, email) ON public.accounts TO pd_writer;
GRANT INSERT ON public.accounts TO pd_writer;
CREATE SEQUENCE public.ticket_no;
GRANT USAGE ON SEQUENCE public.ticket_no TO pd_writer;
CREATE FUNCTION public.ping() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
REVOKE EXECUTE ON FUNCTION public.ping() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.ping() TO pd_reader;
CREATE SCHEMA reporting;
GRANT USAGE, CREATE ON SCHEMA reporting TO pd_writer;
CREATE TYPE public.level AS ENUM ('low', 'high');
REVOKE USAGE ON TYPE public.level FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA reporting GRANT SELECT ON TABLES TO pd_writer;
ALTER DEFAULT PRIVILEGES FOR ROLE postgres GRANT EXECUTE ON FUNCTIONS TO pd_writer;
