CREATE TABLE syn_b (id int);
