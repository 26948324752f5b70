-- kam 0.1.0 -> 0.2.0
\echo Use "ALTER EXTENSION kam UPDATE TO '0.2.0'" to load this file. \quit

-- Only pg_catalog resolves the names this script leaves unqualified:
-- CREATE EXTENSION would put the creating schema (often public, which other
-- roles may be able to write) on the path, where a look-alike function or
-- operator with a closer-matching signature would be bound into kam's
-- views, defaults and constraints for good.  (CREATE/ALTER EXTENSION restores
-- the caller's search_path afterwards.)
SET search_path = pg_catalog, pg_temp;
