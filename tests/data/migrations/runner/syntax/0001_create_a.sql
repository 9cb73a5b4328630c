CREATE TABLE syn_a (id int);
