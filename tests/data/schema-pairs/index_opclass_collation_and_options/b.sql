CREATE TABLE public.t (name text, tags text[]);
CREATE INDEX t_name ON public.t (name text_pattern_ops) WITH (fillfactor = 80);
CREATE INDEX t_name_c ON public.t (name COLLATE "C" DESC);
CREATE INDEX t_tags ON public.t USING gin (tags);
CREATE INDEX t_brin ON public.t USING brin (name);
