-- A table joins a parent that has CHECK constraints: INHERIT needs the child to carry
-- them first. (Both sides attach with ALTER TABLE … INHERIT, as the script does.)
CREATE TABLE public.measurement (
    id integer NOT NULL,
    value numeric,
    CONSTRAINT value_positive CHECK (value > 0),
    CONSTRAINT id_known CHECK (id > 0)
);
CREATE TABLE public.measurement_2024 (id integer NOT NULL, value numeric, note text);
INSERT INTO public.measurement_2024 VALUES (1, 2.5, 'ok');
