CREATE TABLE public.accounts (id integer PRIMARY KEY);
CREATE TABLE public.ledger (account integer REFERENCES public.accounts, at date, amount numeric CHECK (amount <> 0)) PARTITION BY RANGE (at);
CREATE TABLE public.ledger_2024 PARTITION OF public.ledger FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE FUNCTION public.check_amount() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER ledger_check BEFORE INSERT ON public.ledger FOR EACH ROW EXECUTE FUNCTION public.check_amount();
