-- INHERIT / NO INHERIT: one table joins the parent, another leaves it; a third leaves a
-- parent that is dropped. (Each side attaches with ALTER TABLE … INHERIT, as the script
-- does, so pg_dump sees the same local columns.)
CREATE TABLE public.base (id integer NOT NULL, note text);
CREATE TABLE public.joiner (id integer NOT NULL, note text, extra boolean);
CREATE TABLE public.leaver (id integer NOT NULL, note text, kind text);
ALTER TABLE public.leaver INHERIT public.base;
CREATE TABLE public.gone_parent (stamp date);
CREATE TABLE public.orphan (stamp date, value numeric);
ALTER TABLE public.orphan INHERIT public.gone_parent;
