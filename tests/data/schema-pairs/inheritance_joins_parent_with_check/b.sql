CREATE TABLE public.measurement (
    id integer NOT NULL,
    value numeric,
    CONSTRAINT value_positive CHECK (value > 0),
    CONSTRAINT id_known CHECK (id > 0)
);
CREATE TABLE public.measurement_2024 (id integer NOT NULL, value numeric, note text);
ALTER TABLE public.measurement_2024 ADD CONSTRAINT value_positive CHECK (value > 0);
ALTER TABLE public.measurement_2024 ADD CONSTRAINT id_known CHECK (id > 0);
ALTER TABLE public.measurement_2024 INHERIT public.measurement;
INSERT INTO public.measurement_2024 VALUES (1, 2.5, 'ok');
