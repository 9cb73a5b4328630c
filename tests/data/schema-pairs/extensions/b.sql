CREATE EXTENSION citext;
CREATE EXTENSION hstore;
COMMENT ON EXTENSION hstore IS 'key/value pairs';
CREATE TABLE public.t (name public.citext, attrs public.hstore);
CREATE INDEX t_attrs ON public.t USING gist (attrs);
