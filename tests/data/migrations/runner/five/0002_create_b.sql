CREATE TABLE five_b (id int);
