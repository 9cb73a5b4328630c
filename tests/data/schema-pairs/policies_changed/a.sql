CREATE TABLE public.docs (id integer, owner text, level integer);
ALTER TABLE public.docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY p ON public.docs FOR SELECT USING (level < 5);
CREATE POLICY gone ON public.docs FOR DELETE USING (false);
