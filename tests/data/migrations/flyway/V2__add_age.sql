ALTER TABLE users ADD COLUMN age int;
