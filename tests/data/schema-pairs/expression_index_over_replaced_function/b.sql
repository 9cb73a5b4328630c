CREATE FUNCTION public.norm(t text) RETURNS varchar LANGUAGE sql IMMUTABLE AS 'SELECT lower(t)::varchar';
CREATE TABLE public.users (email text);
CREATE UNIQUE INDEX users_email_norm ON public.users (public.norm(email));
