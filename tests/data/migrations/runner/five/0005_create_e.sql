CREATE TABLE five_e (id int);
