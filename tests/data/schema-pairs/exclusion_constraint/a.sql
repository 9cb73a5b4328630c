CREATE TABLE public.booking (room integer, during tsrange);
