CREATE TABLE public.t (tenant integer NOT NULL, id integer, CONSTRAINT t_pkey PRIMARY KEY (tenant, id));
