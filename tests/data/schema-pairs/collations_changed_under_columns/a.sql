-- A collation whose definition changes (dropped and created again, with the column that
-- uses it taken off it and put back), one removed, one added.
CREATE COLLATION public.sorting (provider = icu, locale = 'en');
CREATE COLLATION public.retired (provider = libc, locale = 'C');
CREATE TABLE public.names (n text COLLATE public.sorting, m text);
INSERT INTO public.names VALUES ('a', 'b');
