-- A column added to the parent reaches the children (no ADD COLUMN on them); a column
-- dropped from the parent goes from them too; the parent loses NOT NULL while a child
-- keeps it; a child's own default changes and the parent's default stays put.
CREATE TABLE public.event (
    id bigint NOT NULL,
    happened timestamp without time zone NOT NULL,
    obsolete integer,
    source text DEFAULT 'web'
);
CREATE TABLE public.click (x integer, y integer) INHERITS (public.event);
CREATE TABLE public.view_event (page text) INHERITS (public.event);
ALTER TABLE ONLY public.view_event ALTER COLUMN source SET DEFAULT 'app';
INSERT INTO public.click (id, happened, x, y) VALUES (1, '2024-01-01', 1, 2);
