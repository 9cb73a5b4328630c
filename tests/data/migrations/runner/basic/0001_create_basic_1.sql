CREATE TABLE basic_1 (id int);
SELECT pg_sleep(0.2);
