CREATE TYPE public.ticket_state AS ENUM ('open', 'closed');
CREATE TYPE public.ticket_state_v2 AS ENUM ('open', 'waiting', 'closed');
CREATE TABLE public.tickets (
    id integer PRIMARY KEY,
    state public.ticket_state_v2 NOT NULL DEFAULT 'open',
    history public.ticket_state_v2[] DEFAULT '{}'
);
CREATE INDEX tickets_state ON public.tickets (state);
INSERT INTO public.tickets VALUES (1, 'open', '{open}'), (2, 'closed', '{open,closed}');
