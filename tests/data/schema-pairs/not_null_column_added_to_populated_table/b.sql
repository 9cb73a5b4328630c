CREATE SEQUENCE public.ticket_no;
CREATE TABLE public.t (id integer PRIMARY KEY, status text NOT NULL DEFAULT 'new', ticket bigint NOT NULL DEFAULT nextval('public.ticket_no'));
