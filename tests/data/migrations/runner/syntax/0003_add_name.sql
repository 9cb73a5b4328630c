CREATE TABLE syn_c (id int);

ALTER TABLE syn_c
    ADD COLUMN name text NOT NULL DEFALT 'x';
