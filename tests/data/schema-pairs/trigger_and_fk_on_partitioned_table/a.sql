CREATE TABLE public.accounts (id integer PRIMARY KEY);
CREATE TABLE public.ledger (account integer, at date, amount numeric) PARTITION BY RANGE (at);
CREATE TABLE public.ledger_2024 PARTITION OF public.ledger FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE FUNCTION public.check_amount() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
