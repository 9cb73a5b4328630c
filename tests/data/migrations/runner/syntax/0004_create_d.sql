CREATE TABLE syn_d (id int);
