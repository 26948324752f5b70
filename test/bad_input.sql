-- The bad-input matrix: generates the calls that test/bad_input.sh runs.
-- For every kam function that reads (IMMUTABLE or STABLE, any language) and
-- every aggregate: the baseline call, then each argument in turn through
-- every hostile value of its type (NULL, NaN, +-Infinity, the extremes of
-- each integer type, empty and malformed arrays, states of the wrong shape
-- or length, counts beyond 2^31, ...), then random combinations of hostile
-- values (fixed seed).  Aggregates also run over no rows and over rows
-- mixing hostile values.  One SQL statement per output line.

CREATE FUNCTION pg_temp.hostile_values(t regtype) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
    field record;
    fields text[];
    field_types regtype[];
    rows text[] := '{}';
    v text;
    i int;
BEGIN
    -- element 1 is the baseline: a value the function is likely to accept
    CASE t
    WHEN 'integer'::regtype THEN
        RETURN ARRAY['5', 'NULL::integer', '0', '-1', '1', '7', '10', '11', '100', '2147483647', '-2147483648'];
    WHEN 'smallint'::regtype THEN
        RETURN ARRAY['5::smallint', 'NULL::smallint', '0::smallint', '-1::smallint', '7::smallint', '32767::smallint', '-32768::smallint'];
    WHEN 'bigint'::regtype THEN
        RETURN ARRAY['5::bigint', 'NULL::bigint', '0::bigint', '-1::bigint', '1::bigint', '3000000000::bigint',
                     '9223372036854775807::bigint', '-9223372036854775808::bigint'];
    WHEN 'double precision'::regtype THEN
        RETURN ARRAY['0.5::float8', 'NULL::float8', '''NaN''::float8', '''Infinity''::float8', '''-Infinity''::float8',
                     '0::float8', '''-0''::float8', '-1::float8', '1::float8', '5::float8', '90::float8', '1e308::float8',
                     '-1e308::float8', '5e-324::float8', '3000000000::float8', '9.3e18::float8'];
    WHEN 'numeric'::regtype THEN
        RETURN ARRAY['0.5::numeric', 'NULL::numeric', '''NaN''::numeric', '0::numeric', '-1::numeric', '1e100::numeric'];
    WHEN 'boolean'::regtype THEN
        RETURN ARRAY['true', 'NULL::boolean', 'false'];
    WHEN 'text'::regtype THEN
        RETURN ARRAY['''USD''', 'NULL::text', '''''', '''x''', '''EUR''', 'repeat(''a'', 100000)', '''nps''', '''core'''];
    WHEN 'date'::regtype THEN
        RETURN ARRAY['''2020-06-30''::date', 'NULL::date', '''infinity''::date', '''-infinity''::date',
                     '''4714-11-24 BC''::date', '''5874897-12-31''::date', '''2000-01-01''::date'];
    WHEN 'timestamp with time zone'::regtype THEN
        RETURN ARRAY['''2020-06-30 12:00+00''::timestamptz', 'NULL::timestamptz', '''infinity''::timestamptz',
                     '''-infinity''::timestamptz', '''4714-11-24 00:00+00 BC''::timestamptz',
                     '''294276-12-31 23:59:59+00''::timestamptz', '''2000-01-01 00:00+00''::timestamptz'];
    WHEN 'double precision[]'::regtype THEN
        rows := ARRAY['''{0,0,0}''::float8[]', 'NULL::float8[]', '''{}''::float8[]', '''{NULL}''::float8[]',
                      '''{NULL,1,2}''::float8[]', '''{{1,2},{3,4}}''::float8[]', '''[0:2]={1,2,3}''::float8[]',
                      '''{NaN,Infinity,-Infinity}''::float8[]', '''{-1,-1,-1}''::float8[]', '''{1e308,1e308,1e308}''::float8[]',
                      'kam.strength_at(''2020-06-30'')', '''{1,90,90}''::float8[]'];
        FOR i IN 1 .. 20 LOOP
            rows := rows || format('array_fill(1::float8, ARRAY[%s])', i) || format('array_fill(0::float8, ARRAY[%s])', i);
        END LOOP;
        RETURN rows || ARRAY['array_fill(1::float8, ARRAY[100000])', '''{2,4,1,2,3,4,1,1,3,4,9,17,10,14}''::float8[]'];
    WHEN 'bigint[]'::regtype THEN
        rows := ARRAY['''{0,0,0}''::bigint[]', 'NULL::bigint[]', '''{}''::bigint[]', '''{NULL}''::bigint[]', '''{NULL,1,2}''::bigint[]',
                      '''{{1,2},{3,4}}''::bigint[]', '''[2:4]={0,0,0}''::bigint[]', '''{-1,0,0}''::bigint[]',
                      '''{3000000000,3000000000,3000000000}''::bigint[]', '''{9223372036854775807,9223372036854775807,1}''::bigint[]',
                      '''{5,0,0}''::bigint[]', '''{5,3,4}''::bigint[]', '''{5,10,3}''::bigint[]', '''{1000,10,3}''::bigint[]',
                      '''{3000000000,3000000000,3000000000,3000000000,3000000000,3000000000,3000000000}''::bigint[]'];
        FOR i IN 1 .. 16 LOOP
            rows := rows || format('array_fill(1::bigint, ARRAY[%s])', i) || format('array_fill(0::bigint, ARRAY[%s])', i);
        END LOOP;
        RETURN rows;
    WHEN 'smallint[]'::regtype THEN
        RETURN ARRAY['''{4,5}''::smallint[]', 'NULL::smallint[]', '''{}''::smallint[]', '''{NULL}''::smallint[]', '''{0}''::smallint[]',
                     '''{32767}''::smallint[]', '''{{1},{2}}''::smallint[]'];
    WHEN 'kam.strength_state'::regtype THEN
        RETURN ARRAY['''(0,0,0,,,,,)''::kam.strength_state', 'NULL::kam.strength_state',
                     '''(2,1,1,899337600000000,899337600000000,899337600000000,90,90)''::kam.strength_state',
                     '''(1,9223372036854775807,0,5,,6,90,90)''::kam.strength_state',
                     '''(1e308,3000000000,3000000000,5,5,6,5e-324,1e308)''::kam.strength_state',
                     '''(0,0,0,,,9223371331199999999,90,90)''::kam.strength_state'];
    ELSE
        -- a composite type of kam: NULL, its fields' baselines, and each
        -- field in turn through the hostile values of its own type
        IF (SELECT typtype FROM pg_type WHERE oid = t) = 'c' THEN
            FOR field IN SELECT a.atttypid::regtype AS type FROM pg_attribute AS a
                         WHERE a.attrelid = (SELECT typrelid FROM pg_type WHERE oid = t) AND a.attnum > 0 AND NOT a.attisdropped
                         ORDER BY a.attnum LOOP
                fields := fields || (pg_temp.hostile_values(field.type))[1];
                field_types := field_types || field.type;
            END LOOP;
            rows := ARRAY[format('ROW(%s)::%s', array_to_string(fields, ', '), t), format('NULL::%s', t)];
            FOR i IN 1 .. cardinality(fields) LOOP
                FOREACH v IN ARRAY (pg_temp.hostile_values(field_types[i]))[2:] LOOP
                    rows := rows || format('ROW(%s)::%s',
                        array_to_string(fields[1:i - 1] || ARRAY[v] || fields[i + 1:], ', '), t);
                END LOOP;
            END LOOP;
            RETURN rows;
        END IF;
        RETURN NULL;	-- a type the matrix does not know: the function is skipped
    END CASE;
END $$;

CREATE TEMP TABLE matrix_call (statement text);

DO $$
DECLARE
    f record;
    v text[][];
    sets text[];
    args text[];
    base text[];
    n int;
    i int;
    k int;
    value text;
    rows text[];
    columns text;
    len int;
BEGIN
    PERFORM setseed(0.42);
    FOR f IN
        SELECT p.oid, p.oid::regproc::text AS name, p.prokind,
               ARRAY(SELECT a::regtype FROM unnest(p.proargtypes::oid[]) AS a) AS types
        FROM pg_proc AS p
        WHERE p.pronamespace = 'kam'::regnamespace
          AND (p.prokind = 'a' OR (p.prokind = 'f' AND p.provolatile IN ('i', 's')))
          AND NOT EXISTS (SELECT FROM unnest(p.proargtypes::regtype[]) AS a(t) WHERE a.t IN ('internal', 'cstring'))
          AND p.prorettype <> 'trigger'::regtype
        ORDER BY 2, 1
    LOOP
        n := cardinality(f.types);
        base := '{}';
        sets := '{}';
        CONTINUE WHEN EXISTS (SELECT FROM unnest(f.types) AS a(t) WHERE pg_temp.hostile_values(a.t) IS NULL);
        FOR i IN 1 .. n LOOP
            base := base || (pg_temp.hostile_values(f.types[i]))[1];
        END LOOP;
        IF f.prokind = 'f' THEN
            INSERT INTO matrix_call VALUES (format('SELECT %s(%s);', f.name, array_to_string(base, ', ')));
            FOR i IN 1 .. n LOOP
                FOREACH value IN ARRAY pg_temp.hostile_values(f.types[i]) LOOP
                    args := base;
                    args[i] := value;
                    INSERT INTO matrix_call VALUES (format('SELECT %s(%s);', f.name, array_to_string(args, ', ')));
                END LOOP;
            END LOOP;
            FOR k IN 1 .. CASE WHEN n > 1 THEN 250 ELSE 0 END LOOP
                args := '{}';
                FOR i IN 1 .. n LOOP
                    sets := pg_temp.hostile_values(f.types[i]);
                    args := args || sets[1 + floor(random() * cardinality(sets))::int];
                END LOOP;
                INSERT INTO matrix_call VALUES (format('SELECT %s(%s);', f.name, array_to_string(args, ', ')));
            END LOOP;
        ELSE
            -- aggregates: over no rows, one row of each hostile value, mixed rows
            columns := (SELECT string_agg('c' || g.j, ', ') FROM generate_series(1, n) AS g(j));
            INSERT INTO matrix_call VALUES (format('SELECT %s(%s) FROM (SELECT %s) AS v(%s) WHERE false;',
                                                   f.name, columns, array_to_string(base, ', '), columns));
            FOR i IN 1 .. n LOOP
                FOREACH value IN ARRAY pg_temp.hostile_values(f.types[i]) LOOP
                    args := base;
                    args[i] := value;
                    INSERT INTO matrix_call VALUES (format('SELECT %s(%s) FROM (VALUES (%s), (%s), (%s)) AS v(%s);',
                        f.name, columns, array_to_string(base, ', '), array_to_string(args, ', '),
                        array_to_string(base, ', '), columns));
                END LOOP;
            END LOOP;
            FOR k IN 1 .. 250 LOOP
                rows := '{}';
                FOR len IN 1 .. 4 LOOP
                    args := '{}';
                    FOR i IN 1 .. n LOOP
                        sets := pg_temp.hostile_values(f.types[i]);
                        args := args || CASE WHEN random() < 0.5 THEN sets[1]
                                             ELSE sets[1 + floor(random() * cardinality(sets))::int] END;
                    END LOOP;
                    rows := rows || format('(%s)', array_to_string(args, ', '));
                END LOOP;
                INSERT INTO matrix_call VALUES (format('SELECT %s(%s) FROM (VALUES %s) AS v(%s);',
                    f.name, columns, array_to_string(rows, ', '), columns));
            END LOOP;
        END IF;
    END LOOP;
END $$;

\copy matrix_call TO STDOUT
