CREATE COLLATION public.sorting (provider = icu, locale = 'fr', deterministic = false);
CREATE COLLATION public.added (provider = icu, locale = 'en-u-kn-true');
CREATE TABLE public.names (n text COLLATE public.sorting, m text COLLATE public.added);
INSERT INTO public.names VALUES ('a', 'b');
