-- Functions whose bodies are strings (LANGUAGE sql, PL/pgSQL) read objects the server keeps
-- no dependency on, and run while the schema is created: a materialized view WITH DATA
-- calls them. The view's name sorts before what the functions read, so only what the
-- bodies name puts z_totals first. One body is qualified, one relies on its search_path,
-- one reads through an assignment and a %ROWTYPE variable.
CREATE SCHEMA stock;
CREATE TABLE stock.z_items (id integer PRIMARY KEY, qty integer NOT NULL);
CREATE MATERIALIZED VIEW stock.z_totals AS
    SELECT count(*) AS n, coalesce(sum(qty), 0) AS total FROM stock.z_items;
CREATE FUNCTION stock.total_qty() RETURNS bigint LANGUAGE sql STABLE
    AS 'SELECT total FROM stock.z_totals';
CREATE FUNCTION stock.item_count() RETURNS bigint LANGUAGE plpgsql STABLE
    SET search_path = stock
    AS $$
DECLARE
    n bigint;
BEGIN
    SELECT z.n INTO n FROM z_totals z;
    RETURN n;
END
$$;
CREATE FUNCTION stock.average_qty() RETURNS numeric LANGUAGE plpgsql STABLE AS $$
DECLARE
    totals stock.z_totals%ROWTYPE;
    average numeric;
BEGIN
    average := (SELECT CASE WHEN t.n = 0 THEN 0 ELSE t.total::numeric / t.n END FROM stock.z_totals t);
    RETURN average;
END
$$;
CREATE MATERIALIZED VIEW stock.a_summary AS
    SELECT stock.total_qty() AS total, stock.item_count() AS items, stock.average_qty() AS average;
