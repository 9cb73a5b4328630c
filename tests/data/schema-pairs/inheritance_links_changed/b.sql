CREATE TABLE public.base (id integer NOT NULL, note text);
CREATE TABLE public.joiner (id integer NOT NULL, note text, extra boolean);
ALTER TABLE public.joiner INHERIT public.base;
CREATE TABLE public.leaver (id integer NOT NULL, note text, kind text);
CREATE TABLE public.orphan (stamp date, value numeric);
