-- Table inheritance: inherited columns are not redeclared on the children; a child sets
-- NOT NULL and a default of its own on a column it inherits; a child with two parents;
-- a child that redeclares an inherited column (merged, local and inherited); a grandchild.
CREATE SCHEMA inv;
CREATE TABLE inv.item (
    id integer NOT NULL,
    label text,
    created timestamp with time zone DEFAULT now(),
    CONSTRAINT item_label_nonempty CHECK (label <> '')
);
CREATE TABLE inv.tagged (tags text[] DEFAULT '{}');
CREATE TABLE inv.book (isbn text NOT NULL) INHERITS (inv.item);
ALTER TABLE inv.book ALTER COLUMN label SET NOT NULL;
ALTER TABLE ONLY inv.book ALTER COLUMN created SET DEFAULT '2000-01-01 00:00:00+00';
CREATE TABLE inv.album (label text, tracks integer) INHERITS (inv.item, inv.tagged);
ALTER TABLE ONLY inv.album ALTER COLUMN created DROP DEFAULT;
CREATE TABLE inv.ebook (url text) INHERITS (inv.book);
COMMENT ON COLUMN inv.book.label IS 'a child''s comment on an inherited column';
CREATE VIEW inv.all_items AS SELECT id, label FROM inv.item;
