CREATE TABLE five_a (id int);
