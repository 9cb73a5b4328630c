CREATE SCHEMA modern;
COMMENT ON SCHEMA modern IS 'new home';
CREATE TABLE modern.stuff (id integer);
