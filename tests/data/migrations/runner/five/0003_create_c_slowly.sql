-- Creates a table, then takes long enough for the test to kill this backend.
CREATE TABLE five_c (id int);
INSERT INTO five_c VALUES (1);
SELECT pg_sleep(5);
