CREATE SCHEMA old_home;
CREATE TABLE old_home.things (id integer PRIMARY KEY, name text);
CREATE TABLE public.refs (thing integer REFERENCES old_home.things);
CREATE VIEW public.thing_names AS SELECT name FROM old_home.things;
