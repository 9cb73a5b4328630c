CREATE SCHEMA legacy;
CREATE TABLE legacy.stuff (id integer);
CREATE VIEW legacy.v AS SELECT id FROM legacy.stuff;
