CREATE SCHEMA billing;
CREATE SCHEMA reporting;
CREATE TYPE billing.currency AS ENUM ('EUR', 'USD');
CREATE TABLE public.customers (id integer PRIMARY KEY);
CREATE TABLE billing.invoices (id integer PRIMARY KEY, customer_id integer REFERENCES public.customers, cur billing.currency, total numeric);
CREATE VIEW reporting.revenue AS SELECT c.id, sum(i.total) AS total FROM public.customers c JOIN billing.invoices i ON i.customer_id = c.id GROUP BY c.id;
CREATE FUNCTION reporting.top() RETURNS SETOF reporting.revenue LANGUAGE sql AS 'SELECT * FROM reporting.revenue ORDER BY total DESC LIMIT 10';
