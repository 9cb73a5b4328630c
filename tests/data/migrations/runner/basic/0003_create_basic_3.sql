CREATE TABLE basic_3 (id int);
SELECT pg_sleep(0.2);
