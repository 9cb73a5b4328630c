CREATE TABLE public.docs (id integer, owner text, level integer);
CREATE POLICY p ON public.docs FOR UPDATE USING (level < 3) WITH CHECK (level < 3);
COMMENT ON POLICY p ON public.docs IS 'updated';
