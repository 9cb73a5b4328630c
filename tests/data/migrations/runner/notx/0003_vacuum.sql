-- paritydeck:no-transaction
CREATE TABLE notx_m (id int);
VACUUM notx_t;
