CREATE TABLE notx_t (id int, v text);
