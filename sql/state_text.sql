-- Parallel plans and Citus readiness.  Citus moves an aggregate's state between nodes through
-- the state type's text output and input.  For every kam aggregate, its
-- states (each group's, after a parallel plan combined the workers' partial
-- states, and after an explicit combine) read back from their text form to
-- the same bits (compared through the type's binary send function).  And
-- every kam aggregate is a plain one (no WITHIN GROUP), with a concrete
-- state type and a combine function.

SELECT count(*) AS aggregates,
       count(*) FILTER (WHERE a.aggkind = 'n') AS plain,
       count(*) FILTER (WHERE a.aggtranstype <> 'internal'::regtype) AS concrete_state,
       count(*) FILTER (WHERE a.aggcombinefn <> 0) AS with_combine
FROM pg_aggregate AS a JOIN pg_proc AS p ON p.oid = a.aggfnoid
WHERE p.pronamespace = 'kam'::regnamespace;

-- (regular tables: parallel workers cannot read temporary ones)
CREATE TABLE state_text_rows AS
SELECT i, i % 20 AS g FROM generate_series(1, 20000) AS i;
ANALYZE state_text_rows;
-- the fits on data they fit well: the CDNOW sample's 2 357 customers
-- (Hardie's summary), in 3 groups of about 790
CREATE TABLE state_text_cdnow (id int, x int, t_x numeric, t numeric, zbar numeric);
\copy state_text_cdnow FROM 'test/data/cdnow/cdnow_customers_summary_with_transactions.csv' WITH (FORMAT csv, HEADER)
ALTER TABLE state_text_cdnow ADD COLUMN g int;
UPDATE state_text_cdnow SET g = id % 3;
ANALYZE state_text_cdnow;

-- arguments of each aggregate over its rows (state_text_rows: i in 1..20000),
-- and what of its result the parallel plan must reproduce
CREATE TEMP TABLE aggregate_arguments (aggregate regprocedure, arguments text,
                                       source text DEFAULT 'state_text_rows', compared text DEFAULT 'r::text');
INSERT INTO aggregate_arguments (aggregate, arguments) VALUES
    ('kam.nps(integer)', 'i % 11'),
    ('kam.nps_detail(integer)', 'i % 11'),
    ('kam.nps(integer, double precision)', 'i % 11, (i % 3)::float8 / 7'),
    ('kam.csat(integer)', 'i % 5 + 1'),
    ('kam.csat_detail(integer)', 'i % 5 + 1'),
    ('kam.csat(integer, integer)', 'i % 7 + 1, 7'),
    ('kam.csat_detail(integer, integer)', 'i % 7 + 1, 7'),
    ('kam.ces(integer)', 'i % 7 + 1'),
    ('kam.ces_detail(integer)', 'i % 7 + 1'),
    ('kam.order_summary(date, bigint, bigint, date)',
     $$date '2024-01-01' + i % 900, i::bigint * 10000, (i % 101)::bigint * 10000, date '2026-06-30'$$),
    ('kam.order_summary_state(date, bigint, bigint, date)',
     $$date '2024-01-01' + i % 900, i::bigint * 10000, (i % 101)::bigint * 10000, date '2026-06-30'$$),
    -- days repeat (i % 700: the groups' states grow past their first capacity)
    ('kam.purchase_days(date, bigint)', $$date '2024-01-01' + i % 700, (i % 97 - 20)::bigint * 10000$$),
    ('kam.relationship_strength(timestamp with time zone, double precision, boolean, double precision[])',
     $$timestamptz '2024-01-01 00:00+00' + i * interval '1 hour', (i % 5)::float8 / 3, i % 2 = 0, kam.strength_at('2026-06-30')$$),
    -- three whole-number items that measure one thing (alpha near 0.98: no cancellation near 0)
    ('kam.cronbach_alpha(double precision[])',
     'ARRAY[(i % 5)::float8, (i % 5 + (i % 3 = 0)::int)::float8, (i % 5 + (i % 7 = 0)::int)::float8]');
-- the fits iterate (BFGS) from sums over customers, which the workers add in
-- another order: the optimum, not the path, must be the same, to 6 digits
CREATE FUNCTION pg_temp.digits6(x double precision) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN x = 0 OR x = 'NaN' THEN x::numeric ELSE round(x::numeric, 5 - floor(log(abs(x::numeric)))::int) END;
INSERT INTO aggregate_arguments VALUES
    ('kam.bgnbd_fit(double precision, double precision, double precision)', 'x, t_x, t', 'state_text_cdnow',
     $$ARRAY[pg_temp.digits6((r).r), pg_temp.digits6((r).alpha), pg_temp.digits6((r).a), pg_temp.digits6((r).b),
            pg_temp.digits6((r).log_likelihood)]::text || (r).converged || (r).customers$$),
    ('kam.gammagamma_fit(double precision, double precision)', 'x, zbar', 'state_text_cdnow',
     $$ARRAY[pg_temp.digits6((r).p), pg_temp.digits6((r).q), pg_temp.digits6((r).gamma),
            pg_temp.digits6((r).log_likelihood)]::text || (r).converged || (r).customers$$);
-- every aggregate has its arguments here
SELECT p.oid::regprocedure AS missing FROM pg_proc AS p
WHERE p.pronamespace = 'kam'::regnamespace AND p.prokind = 'a'
  AND p.oid NOT IN (SELECT aggregate FROM aggregate_arguments);

-- For each: an aggregate of the same state function, state type, initial
-- state and combine function without a final function gives the states
-- themselves, per group, in a forced parallel plan without the leader.
CREATE FUNCTION pg_temp.state_round_trips(agg regprocedure, arguments text, source text)
RETURNS TABLE (aggregate text, state_type text, groups bigint, text_round_trips bigint, combined_round_trips bigint)
LANGUAGE plpgsql AS $$
DECLARE
    a pg_aggregate;
    send regproc;
    state_agg text;
BEGIN
    SELECT format('pg_temp.state_of_%s_%s', proname, pronargs) INTO state_agg FROM pg_proc WHERE oid = agg;
    SELECT * INTO a FROM pg_aggregate WHERE aggfnoid = agg;
    SELECT typsend INTO send FROM pg_type WHERE oid = a.aggtranstype;
    EXECUTE format('CREATE AGGREGATE %s(%s) (SFUNC = %s, STYPE = %s, COMBINEFUNC = %s, PARALLEL = SAFE%s)',
                   state_agg, pg_get_function_identity_arguments(agg), a.aggtransfn, a.aggtranstype::regtype,
                   a.aggcombinefn, CASE WHEN a.agginitval IS NULL THEN '' ELSE format(', INITCOND = %L', a.agginitval) END);
    SET LOCAL max_parallel_workers_per_gather = 2;
    SET LOCAL parallel_setup_cost = 0;
    SET LOCAL parallel_tuple_cost = 0;
    SET LOCAL min_parallel_table_scan_size = 0;
    SET LOCAL parallel_leader_participation = off;
    SET LOCAL force_parallel_mode = on;
    EXECUTE format('CREATE TEMP TABLE states AS SELECT g, %s(%s) AS s FROM public.%I GROUP BY g', state_agg, arguments, source);
    aggregate := agg::text;
    state_type := a.aggtranstype::regtype::text;
    EXECUTE format('SELECT count(*), count(*) FILTER (WHERE %1$s(s::text::%2$s) = %1$s(s)) FROM states', send, a.aggtranstype::regtype)
        INTO groups, text_round_trips;
    -- explicit combines of neighbouring groups' states
    EXECUTE format('SELECT count(*) FILTER (WHERE %1$s(c::text::%2$s) = %1$s(c))
                    FROM (SELECT %3$s(x.s, y.s) AS c FROM states AS x JOIN states AS y ON y.g = x.g + 1) AS z',
                   send, a.aggtranstype::regtype, a.aggcombinefn)
        INTO combined_round_trips;
    DROP TABLE states;
    RETURN NEXT;
END $$;

SELECT r.* FROM aggregate_arguments AS a, pg_temp.state_round_trips(a.aggregate, a.arguments, a.source) AS r ORDER BY 1;

-- Every aggregate in a parallel plan (forced, the leader not taking part)
-- gives per group the result of the serial plan; the plan has a Partial
-- Aggregate.  Doubles compared to 10 significant digits (the fits' to 6, see
-- above): the workers add in another order.
CREATE FUNCTION pg_temp.parallel_equals_serial(agg regprocedure, arguments text, source text, compared text)
RETURNS TABLE (aggregate text, partial_plan boolean, groups bigint, equal bigint)
LANGUAGE plpgsql AS $$
DECLARE
    query text := format('SELECT g, %s AS c FROM (SELECT g, %s(%s) AS r FROM public.%I GROUP BY g) AS x',
                         compared, (SELECT oid::regproc FROM pg_proc WHERE oid = agg), arguments, source);
    plan text;
BEGIN
    aggregate := agg::text;
    SET LOCAL extra_float_digits = -5;
    EXECUTE format('CREATE TEMP TABLE serial AS %s', query);
    SET LOCAL max_parallel_workers_per_gather = 2;
    SET LOCAL parallel_setup_cost = 0;
    SET LOCAL parallel_tuple_cost = 0;
    SET LOCAL min_parallel_table_scan_size = 0;
    SET LOCAL parallel_leader_participation = off;
    SET LOCAL force_parallel_mode = on;
    partial_plan := false;
    FOR plan IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
        partial_plan := partial_plan OR plan LIKE '%Partial%Aggregate%';
    END LOOP;
    EXECUTE format('CREATE TEMP TABLE parallel AS %s', query);
    SELECT count(*), count(*) FILTER (WHERE s.c IS NOT DISTINCT FROM p.c)
    INTO groups, equal FROM serial AS s JOIN parallel AS p USING (g);
    DROP TABLE serial, parallel;
    RETURN NEXT;
END $$;
SELECT r.* FROM aggregate_arguments AS a, pg_temp.parallel_equals_serial(a.aggregate, a.arguments, a.source, a.compared) AS r ORDER BY 1;

-- the parallel plan the states came from: partial states combined by the leader
SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET parallel_leader_participation = off; SET force_parallel_mode = on;
EXPLAIN (COSTS OFF) SELECT g, kam.relationship_strength(timestamptz '2024-01-01 00:00+00' + i * interval '1 hour', 1, true, kam.strength_at('2026-06-30'))
FROM state_text_rows GROUP BY g;
RESET max_parallel_workers_per_gather; RESET parallel_setup_cost; RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size; RESET parallel_leader_participation; RESET force_parallel_mode;
DROP TABLE state_text_rows, state_text_cdnow;
