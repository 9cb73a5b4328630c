CREATE SCHEMA paritydeck;
CREATE TABLE paritydeck.schema_migrations (version text);
CREATE TABLE public.t (id integer);
