-- User collations, libc and ICU, and the columns, domain and index that use them.
-- public."posix" and public."C" share their names with pg_catalog's built-ins but are
-- other objects.
CREATE COLLATION public.posix (provider = libc, locale = 'C');
CREATE COLLATION public."C" (provider = libc, lc_collate = 'POSIX', lc_ctype = 'POSIX');
CREATE COLLATION public.german_phonebook (provider = icu, locale = 'de-u-co-phonebk');
CREATE COLLATION public.case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
COMMENT ON COLLATION public.case_insensitive IS 'compares without case';
CREATE SCHEMA "Names";
CREATE COLLATION "Names"."Ünïcode ""sort""" (provider = icu, locale = 'sv');
CREATE DOMAIN public.ci_text AS text COLLATE public.case_insensitive;
CREATE TABLE public.people (
    id integer PRIMARY KEY,
    login public.ci_text,
    surname text COLLATE public.german_phonebook,
    code text COLLATE public.posix,
    code2 text COLLATE public."C",
    code3 text COLLATE pg_catalog."POSIX",
    nordic text COLLATE "Names"."Ünïcode ""sort"""
);
CREATE INDEX people_surname ON public.people (surname COLLATE public.posix);
