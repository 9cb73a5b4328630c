CREATE INDEX CONCURRENTLY notx_t_v_idx ON notx_t (v);
