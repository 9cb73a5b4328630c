-- A table with rows gains a CHECK constraint calling a function whose body (a string)
-- reads a view over a new table. Adding the constraint checks the rows, so the function
-- runs: the view must exist first, which only the body says.
CREATE TABLE public.orders (id integer PRIMARY KEY, qty integer NOT NULL);
INSERT INTO public.orders VALUES (1, 5), (2, 7);
CREATE TABLE public.limits (max_qty integer NOT NULL);
CREATE VIEW public.current_limit AS
    SELECT coalesce(max(max_qty), 100) AS max_qty FROM public.limits;
CREATE FUNCTION public.within_limit(q integer) RETURNS boolean LANGUAGE sql STABLE
    AS $$ SELECT q <= (SELECT max_qty FROM public.current_limit) $$;
ALTER TABLE public.orders ADD CONSTRAINT orders_qty_limit CHECK (public.within_limit(qty));
