CREATE TABLE public.booking (room integer, during tsrange, EXCLUDE USING gist (during WITH &&));
