CREATE TABLE five_d (id int);
