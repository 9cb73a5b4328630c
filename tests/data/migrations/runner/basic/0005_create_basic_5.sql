CREATE TABLE basic_5 (id int);
SELECT pg_sleep(0.2);
