-- Citus readiness: Citus moves an aggregate's state between nodes through
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

-- (a regular table: parallel workers cannot read temporary ones)
CREATE TABLE state_text_rows AS
SELECT i, i % 20 AS g FROM generate_series(1, 20000) AS i;
ANALYZE state_text_rows;

-- arguments of each aggregate over the rows, i in 1..20000
CREATE TEMP TABLE aggregate_arguments (aggregate regprocedure, arguments text);
INSERT INTO aggregate_arguments VALUES
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
    ('kam.bgnbd_fit(double precision, double precision, double precision)',
     $$(i % 5)::float8, CASE WHEN i % 5 = 0 THEN 0 ELSE (i % 37 + 1)::float8 / 3 END, 40 + (i % 3)::float8 / 7$$),
    ('kam.gammagamma_fit(double precision, double precision)', '(i % 5 + 1)::float8, (i % 97 + 1)::float8 / 7'),
    ('kam.relationship_strength(timestamp with time zone, double precision, boolean, double precision[])',
     $$timestamptz '2024-01-01 00:00+00' + i * interval '1 hour', (i % 5)::float8 / 3, i % 2 = 0, kam.strength_at('2026-06-30')$$),
    ('kam.cronbach_alpha(double precision[])', 'ARRAY[(i % 5)::float8, (i % 7)::float8, (i % 3)::float8 / 7]');
-- every aggregate has its arguments here
SELECT p.oid::regprocedure AS missing FROM pg_proc AS p
WHERE p.pronamespace = 'kam'::regnamespace AND p.prokind = 'a'
  AND p.oid NOT IN (SELECT aggregate FROM aggregate_arguments);

-- For each: an aggregate of the same state function, state type, initial
-- state and combine function without a final function gives the states
-- themselves, per group, in a forced parallel plan without the leader.
CREATE FUNCTION pg_temp.state_round_trips(agg regprocedure, arguments text)
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
    EXECUTE format('CREATE TEMP TABLE states AS SELECT g, %s(%s) AS s FROM public.state_text_rows GROUP BY g', state_agg, arguments);
    aggregate := agg::text;
    state_type := a.aggtranstype::regtype::text;
    EXECUTE format('SELECT count(*), count(*) FILTER (WHERE %1$s(s::text::%2$s) = %1$s(s)) FROM states', send, a.aggtranstype::regtype)
        INTO groups, text_round_trips;
    -- explicit combines of neighbouring groups' states
    EXECUTE format('SELECT count(*) FILTER (WHERE %1$s(c::text::%2$s) = %1$s(c))
                    FROM (SELECT %3$s(x.s, y.s) AS c FROM states AS x JOIN states AS y ON y.g = (x.g + 1) %% 20) AS z',
                   send, a.aggtranstype::regtype, a.aggcombinefn)
        INTO combined_round_trips;
    DROP TABLE states;
    RETURN NEXT;
END $$;

SELECT r.* FROM aggregate_arguments AS a, pg_temp.state_round_trips(a.aggregate, a.arguments) AS r ORDER BY 1;

-- the parallel plan the states came from: partial states combined by the leader
SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET parallel_leader_participation = off; SET force_parallel_mode = on;
EXPLAIN (COSTS OFF) SELECT g, kam.relationship_strength(timestamptz '2024-01-01 00:00+00' + i * interval '1 hour', 1, true, kam.strength_at('2026-06-30'))
FROM state_text_rows GROUP BY g;
RESET max_parallel_workers_per_gather; RESET parallel_setup_cost; RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size; RESET parallel_leader_participation; RESET force_parallel_mode;
DROP TABLE state_text_rows;
