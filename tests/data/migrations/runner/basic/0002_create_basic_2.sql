CREATE TABLE basic_2 (id int);
SELECT pg_sleep(0.2);
