CREATE TABLE public.event (
    id bigint NOT NULL,
    happened timestamp without time zone,
    source text DEFAULT 'web',
    session_id integer DEFAULT 0 NOT NULL
);
CREATE TABLE public.click (x integer, y integer) INHERITS (public.event);
ALTER TABLE public.click ALTER COLUMN happened SET NOT NULL;
CREATE TABLE public.view_event (page text) INHERITS (public.event);
ALTER TABLE ONLY public.view_event ALTER COLUMN source SET DEFAULT 'mobile';
INSERT INTO public.click (id, happened, x, y) VALUES (1, '2024-01-01', 1, 2);
