-- Names that try to leave the SQL they are written into: line feeds and carriage returns
-- followed by a statement (a comment line that quotes them would end there), quotes,
-- semicolons, comment markers, backslashes, dollar quotes, bidirectional overrides,
-- non-ASCII, and 63-byte names. U&"…" spells the control characters. public.y is the
-- victim: if any line of a generated script lets a name out, y and its rows are gone and
-- the round trip fails.
CREATE TABLE public.y (id integer PRIMARY KEY);
INSERT INTO public.y VALUES (1), (2);

-- Only in A: dropped by A -> B (destructive, commented out without --unsafe).
CREATE TABLE public.U&"gone\000aDROP TABLE public.y; --" (id integer);
CREATE TABLE public.U&"cr\000dDROP TABLE public.y; --" (U&"c\000d\000aDROP TABLE public.y; --" integer);
COMMENT ON TABLE public.U&"cr\000dDROP TABLE public.y; --" IS U&'note\000dDROP TABLE public.y; --';

-- In both, changed: an enum losing a value (renamed aside, recreated, columns converted)
-- whose name is 63 bytes of three-byte characters.
CREATE TYPE public."名名名名名名名名名名名名名名名名名名名名名" AS ENUM ('a', U&'b\000aDROP TABLE public.y; --', 'c');
CREATE TABLE public.U&"evil\000aDROP TABLE public.y; --" (
    "id;--" integer CONSTRAINT U&"pk\000a--" PRIMARY KEY,
    U&"col\000aDROP TABLE public.y; --" integer,
    "kind""; DROP TABLE public.y; --" public."名名名名名名名名名名名名名名名名名名名名名",
    "dropped */ /* $$" text
);
