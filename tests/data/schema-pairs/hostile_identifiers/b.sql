-- See a.sql. B holds an object of every kind under a hostile name.
CREATE TABLE public.y (id integer PRIMARY KEY);
INSERT INTO public.y VALUES (1), (2);

CREATE SCHEMA U&"s\000aDROP TABLE public.y; --";
COMMENT ON SCHEMA U&"s\000aDROP TABLE public.y; --" IS U&'schema\000aDROP TABLE public.y; --';
CREATE TYPE U&"s\000aDROP TABLE public.y; --".U&"e\000dDROP TABLE public.y; --" AS ENUM (
    U&'l\000aDROP TABLE public.y; --', 'it''s', U&'\202erlo', E'back\\slash');
CREATE DOMAIN public.U&"d\000a;--" AS integer
    CONSTRAINT U&"dc\000aDROP TABLE public.y; --" CHECK (VALUE > 0);
CREATE TYPE public."comp""; --" AS (U&"f\000a1" integer, "f;2" text);
CREATE SEQUENCE public.U&"seq\000d;DROP TABLE public.y; --";

CREATE TYPE public."名名名名名名名名名名名名名名名名名名名名名" AS ENUM ('a', 'c');
CREATE TABLE public.U&"evil\000aDROP TABLE public.y; --" (
    "id;--" integer CONSTRAINT U&"pk\000a--" PRIMARY KEY,
    U&"col\000aDROP TABLE public.y; --" bigint NOT NULL DEFAULT 1
        CONSTRAINT U&"chk\000d--" CHECK (U&"col\000aDROP TABLE public.y; --" > 0),
    "kind""; DROP TABLE public.y; --" public."名名名名名名名名名名名名名名名名名名名名名",
    "ref""--" integer CONSTRAINT U&"fk\000a--" REFERENCES public.y (id),
    U&"\00e9t\00e9\202e\0009x" public.U&"d\000a;--",
    U&"esc\001b[31m" text
);
COMMENT ON COLUMN public.U&"evil\000aDROP TABLE public.y; --".U&"col\000aDROP TABLE public.y; --"
    IS U&'column\000dDROP TABLE public.y; --';
CREATE INDEX U&"idx\000aDROP TABLE public.y; --"
    ON public.U&"evil\000aDROP TABLE public.y; --" (U&"col\000aDROP TABLE public.y; --");
CREATE FUNCTION public.U&"fn\000aDROP TABLE public.y; --"(U&"arg\000a--" integer) RETURNS integer
    LANGUAGE sql AS $$ SELECT 1 $$;
CREATE PROCEDURE public.U&"pr\000d--"() LANGUAGE sql AS $$ SELECT 1 $$;
CREATE VIEW public.U&"v\000aDROP TABLE public.y; --" AS
    SELECT U&"col\000aDROP TABLE public.y; --" AS U&"out\000a--"
    FROM public.U&"evil\000aDROP TABLE public.y; --";
CREATE MATERIALIZED VIEW public.U&"mv\000d--" AS SELECT 1 AS U&"one\000a--";
CREATE FUNCTION public."trg; --"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER U&"tr\000aDROP TABLE public.y; --" BEFORE INSERT
    ON public.U&"evil\000aDROP TABLE public.y; --" FOR EACH ROW EXECUTE FUNCTION public."trg; --"();
ALTER TABLE public.U&"evil\000aDROP TABLE public.y; --" ENABLE ROW LEVEL SECURITY;
CREATE POLICY U&"pol\000a--" ON public.U&"evil\000aDROP TABLE public.y; --" USING (true);
