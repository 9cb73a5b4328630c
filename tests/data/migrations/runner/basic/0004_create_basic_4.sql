CREATE TABLE basic_4 (id int);
SELECT pg_sleep(0.2);
