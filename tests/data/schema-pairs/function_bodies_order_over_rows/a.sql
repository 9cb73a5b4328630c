-- A table with rows gains a CHECK constraint calling a function whose body (a string)
-- reads a view over a new table. Adding the constraint checks the rows, so the function
-- runs: the view must exist first, which only the body says.
CREATE TABLE public.orders (id integer PRIMARY KEY, qty integer NOT NULL);
INSERT INTO public.orders VALUES (1, 5), (2, 7);
