CREATE TABLE public.logs (at date, msg text) PARTITION BY RANGE (at);
CREATE TABLE public.logs_a PARTITION OF public.logs FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE INDEX logs_msg ON public.logs (msg);
