CREATE TABLE public.t (a integer, b integer, r int4range,
  CONSTRAINT t_ab UNIQUE NULLS NOT DISTINCT (a, b),
  CONSTRAINT t_no_overlap EXCLUDE USING gist (r WITH &&) DEFERRABLE INITIALLY DEFERRED);
