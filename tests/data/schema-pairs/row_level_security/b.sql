DO $$ BEGIN CREATE ROLE pd_reader NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE TABLE public.docs (id integer, owner text, public boolean);
ALTER TABLE public.docs ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.docs FORCE ROW LEVEL SECURITY;
CREATE POLICY own ON public.docs USING (owner = current_user);
CREATE POLICY readers ON public.docs AS RESTRICTIVE FOR SELECT TO pd_reader, PUBLIC USING (public);
CREATE POLICY ins ON public.docs FOR INSERT WITH CHECK (owner = current_user);
