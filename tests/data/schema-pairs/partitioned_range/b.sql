CREATE TABLE public.events (id bigint, at date NOT NULL, payload text, kind text) PARTITION BY RANGE (at);
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE public.events_2025 PARTITION OF public.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.events_other PARTITION OF public.events DEFAULT;
CREATE INDEX events_at ON public.events (at);
ALTER TABLE public.events ADD CONSTRAINT events_pkey PRIMARY KEY (id, at);
