CREATE SCHEMA new_home;
CREATE TABLE new_home.things (id integer PRIMARY KEY, name text);
CREATE TABLE public.refs (thing integer REFERENCES new_home.things);
CREATE VIEW public.thing_names AS SELECT name FROM new_home.things;
