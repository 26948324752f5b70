-- The extension as a whole: not relocatable, everything in schema kam,
-- every object commented, and DROP EXTENSION leaves nothing behind.

SELECT extname, extrelocatable, extversion FROM pg_extension WHERE extname = 'kam';

-- Every member object is in schema kam (or is schema kam).
SELECT pg_describe_object(classid, objid, objsubid) AS outside_kam
FROM pg_depend AS d
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kam')
  AND d.deptype = 'e'
  AND pg_identify_object(classid, objid, objsubid) IS DISTINCT FROM NULL
  AND coalesce((pg_identify_object(classid, objid, objsubid)).schema, 'kam') <> 'kam';

-- Every member object has a comment (composite types: on the type).
SELECT pg_describe_object(classid, objid, objsubid) AS uncommented
FROM pg_depend AS d
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kam')
  AND d.deptype = 'e'
  AND obj_description(objid, (SELECT relname FROM pg_class WHERE oid = classid)) IS NULL
  AND NOT (classid = 'pg_type'::regclass
           AND EXISTS (SELECT 1 FROM pg_type AS t WHERE t.oid = objid AND t.typelem <> 0 AND t.typcategory = 'A'));

-- Not relocatable.
\set VERBOSITY terse
CREATE SCHEMA elsewhere;
ALTER EXTENSION kam SET SCHEMA elsewhere;
DROP SCHEMA elsewhere;
-- schema kam taken by someone else: a clear error
DROP EXTENSION kam;
CREATE SCHEMA kam;
CREATE EXTENSION kam;
DROP SCHEMA kam;
\set VERBOSITY default

-- A census of the catalogs without kam, after CREATE + DROP: the same.
SELECT (SELECT count(*) FROM pg_class) AS classes, (SELECT count(*) FROM pg_proc) AS procs,
       (SELECT count(*) FROM pg_type) AS types, (SELECT count(*) FROM pg_namespace) AS schemas,
       (SELECT count(*) FROM pg_aggregate) AS aggregates, (SELECT count(*) FROM pg_depend) AS deps,
       (SELECT count(*) FROM pg_description) AS comments, (SELECT count(*) FROM pg_operator) AS operators,
       (SELECT count(*) FROM pg_cast) AS casts
\gset before_
CREATE EXTENSION kam;
SELECT count(*) > 0 AS has_objects FROM pg_proc WHERE pronamespace = 'kam'::regnamespace;
DROP EXTENSION kam;
SELECT (SELECT count(*) FROM pg_class) = :before_classes AS classes,
       (SELECT count(*) FROM pg_proc) = :before_procs AS procs,
       (SELECT count(*) FROM pg_type) = :before_types AS types,
       (SELECT count(*) FROM pg_namespace) = :before_schemas AS schemas,
       (SELECT count(*) FROM pg_aggregate) = :before_aggregates AS aggregates,
       (SELECT count(*) FROM pg_depend) = :before_deps AS deps,
       (SELECT count(*) FROM pg_description) = :before_comments AS comments,
       (SELECT count(*) FROM pg_operator) = :before_operators AS operators,
       (SELECT count(*) FROM pg_cast) = :before_casts AS casts;
SELECT count(*) AS kam_schema FROM pg_namespace WHERE nspname = 'kam';
CREATE EXTENSION kam;
