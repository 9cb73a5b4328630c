CREATE FUNCTION public.allowed(owner text) RETURNS boolean LANGUAGE sql STABLE AS 'SELECT owner = current_user';
CREATE TABLE public.docs (owner text);
ALTER TABLE public.docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY mine ON public.docs USING (public.allowed(owner));
