CREATE TABLE ok (id int);

-- the typo is on line 4, column 8
CREATE TABEL broken (id int);
