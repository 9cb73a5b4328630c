-- An enum loses a value and is reordered while a column default, a domain over it (and a
-- column of that domain), a function taking and returning it and a view calling the
-- function all use it: rename aside, create, convert every user through text, drop.
CREATE TYPE public.priority AS ENUM ('low', 'normal', 'urgent', 'obsolete');
CREATE DOMAIN public.task_priority AS public.priority NOT NULL DEFAULT 'normal'
    CONSTRAINT task_priority_known CHECK (VALUE IS NOT NULL);
CREATE TABLE public.tasks (
    id integer PRIMARY KEY,
    level public.priority DEFAULT 'low',
    planned public.task_priority,
    seen public.priority[]
);
CREATE FUNCTION public.bump(p public.priority) RETURNS public.priority
    LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN p = 'low' THEN 'normal'::public.priority ELSE p END $$;
CREATE VIEW public.bumped AS SELECT id, public.bump(level) AS next FROM public.tasks;
INSERT INTO public.tasks VALUES (1, 'low', 'urgent', '{low,urgent}'), (2, 'urgent', 'normal', NULL);
