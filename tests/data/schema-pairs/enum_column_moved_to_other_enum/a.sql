-- A column (and an array column) moves from one enum type to another: there is no cast
-- between two enums, so the change goes through text; the default is dropped and set
-- again around it; the index on the column is rebuilt by the server.
CREATE TYPE public.ticket_state AS ENUM ('open', 'closed');
CREATE TYPE public.ticket_state_v2 AS ENUM ('open', 'waiting', 'closed');
CREATE TABLE public.tickets (
    id integer PRIMARY KEY,
    state public.ticket_state NOT NULL DEFAULT 'open',
    history public.ticket_state[] DEFAULT '{}'
);
CREATE INDEX tickets_state ON public.tickets (state);
INSERT INTO public.tickets VALUES (1, 'open', '{open}'), (2, 'closed', '{open,closed}');
