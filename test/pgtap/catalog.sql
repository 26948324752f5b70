-- pgTAP: kam's functions and aggregates exist with their signatures,
-- volatility, parallel safety and comments; aggregate states are concrete.
BEGIN;
SELECT plan(290);

SELECT has_schema('kam');
SELECT has_extension('kam');

-- (name, argument types, return type, aggregate?)
CREATE TEMP TABLE expected_function (name text, args text[], returns text, is_agg boolean);
INSERT INTO expected_function VALUES
    ('nps',                  '{integer}',                                  'double precision',   true),
    ('nps',                  '{integer,"double precision"}',               'double precision',   true),
    ('nps_detail',           '{integer}',                                  'kam.nps_summary',    true),
    ('csat',                 '{integer}',                                  'double precision',   true),
    ('csat',                 '{integer,integer}',                          'double precision',   true),
    ('csat_detail',          '{integer}',                                  'kam.csat_summary',   true),
    ('csat_detail',          '{integer,integer}',                          'kam.csat_summary',   true),
    ('ces',                  '{integer}',                                  'double precision',   true),
    ('ces_detail',           '{integer}',                                  'kam.ces_summary',    true),
    ('nps_test',             '{bigint,bigint,bigint,bigint,bigint,bigint}', 'kam.nps_test_result', false),
    ('nps_test',             '{kam.nps_summary,kam.nps_summary}',          'kam.nps_test_result', false),
    ('nps_accum',            '{bigint[],integer}',                         'bigint[]',           false),
    ('nps_retract',          '{bigint[],integer}',                         'bigint[]',           false),
    ('csat_retract',         '{bigint[],integer}',                         'bigint[]',           false),
    ('csat_retract',         '{bigint[],integer,integer}',                 'bigint[]',           false),
    ('ces_retract',          '{bigint[],integer}',                         'bigint[]',           false),
    ('nps_combine',          '{bigint[],bigint[]}',                        'bigint[]',           false),
    ('nps_final',            '{bigint[]}',                                 'double precision',   false),
    ('nps_detail_final',     '{bigint[]}',                                 'kam.nps_summary',    false),
    ('nps_weighted_accum',   '{"double precision[]",integer,"double precision"}', 'double precision[]', false),
    ('nps_weighted_combine', '{"double precision[]","double precision[]"}', 'double precision[]', false),
    ('nps_weighted_final',   '{"double precision[]"}',                     'double precision',   false),
    ('csat_accum',           '{bigint[],integer}',                         'bigint[]',           false),
    ('csat_accum',           '{bigint[],integer,integer}',                 'bigint[]',           false),
    ('csat_combine',         '{bigint[],bigint[]}',                        'bigint[]',           false),
    ('csat_final',           '{bigint[]}',                                 'double precision',   false),
    ('csat_detail_final',    '{bigint[]}',                                 'kam.csat_summary',   false),
    ('ces_accum',            '{bigint[],integer}',                         'bigint[]',           false),
    ('ces_combine',          '{bigint[],bigint[]}',                        'bigint[]',           false),
    ('ces_final',            '{bigint[]}',                                 'double precision',   false),
    ('ces_detail_final',     '{bigint[]}',                                 'kam.ces_summary',    false),
    ('rfm_tier',             '{integer,integer,integer}',                  'text',               false),
    ('quintile_score',       '{bigint,bigint}',                            'integer',            false),
    ('cut_score',            '{"double precision","double precision[]"}',  'integer',            false),
    ('abc_class',            '{"double precision","double precision","double precision"}', 'text', false),
    ('clv',                  '{"double precision","double precision","double precision"}', 'double precision', false),
    ('clv',                  '{"double precision","double precision","double precision",integer}', 'double precision', false),
    ('order_summary',        '{date,bigint,bigint,date}',                  'kam.order_totals',   true),
    ('currency_code',        '{text}',                                     'smallint',           false),
    ('bgnbd_fit',            '{"double precision","double precision","double precision"}', 'kam.bgnbd_fit_result', true),
    ('bgnbd_accum',          '{"double precision[]","double precision","double precision","double precision"}', 'double precision[]', false),
    ('bgnbd_combine',        '{"double precision[]","double precision[]"}', 'double precision[]', false),
    ('bgnbd_final',          '{"double precision[]"}',                     'kam.bgnbd_fit_result', false),
    ('gammagamma_fit',       '{"double precision","double precision"}',    'kam.gammagamma_fit_result', true),
    ('gammagamma_accum',     '{"double precision[]","double precision","double precision"}', 'double precision[]', false),
    ('gammagamma_combine',   '{"double precision[]","double precision[]"}', 'double precision[]', false),
    ('gammagamma_final',     '{"double precision[]"}',                     'kam.gammagamma_fit_result', false),
    ('bgnbd_p_alive',        '{"double precision","double precision","double precision","double precision","double precision","double precision","double precision"}', 'double precision', false),
    ('bgnbd_expected_transactions', '{"double precision","double precision","double precision","double precision","double precision","double precision","double precision","double precision"}', 'double precision', false),
    ('bgnbd_log_likelihood', '{"double precision","double precision","double precision","double precision","double precision","double precision","double precision"}', 'double precision', false),
    ('gammagamma_expected_spend', '{"double precision","double precision","double precision","double precision","double precision"}', 'double precision', false),
    ('gammagamma_log_likelihood', '{"double precision","double precision","double precision","double precision","double precision"}', 'double precision', false),
    ('predicted_clv',        '{"double precision","double precision","double precision","double precision","double precision","double precision","double precision","double precision","double precision","double precision","double precision","double precision","double precision","double precision"}', 'double precision', false),
    ('clv_unit_error',       '{"double precision"}',                       'text',               false),
    ('review_kinds',         '{text[]}',                                   'text[]',             false),
    ('mask_email',           '{text}',                                     'text',               false),
    ('mask_phone',           '{text}',                                     'text',               false),
    ('likert_items_valid',   '{smallint[],smallint,smallint}',             'boolean',            false),
    ('likert_rescale',       '{"double precision","double precision","double precision"}', 'double precision', false),
    ('relationship_index',   '{"double precision","double precision","double precision","double precision","double precision[]"}', 'double precision', false),
    ('relationship_index_detail', '{"double precision","double precision","double precision","double precision","double precision[]"}', 'kam.relationship_index_detail', false),
    ('relationship_strength', '{"timestamp with time zone","double precision",boolean,"double precision[]"}', 'kam.relationship_strength_result', true),
    ('relationship_strength_accum', '{kam.strength_state,"timestamp with time zone","double precision",boolean,"double precision[]"}', 'kam.strength_state', false),
    ('strength_at',          '{"timestamp with time zone","double precision","double precision"}', 'double precision[]', false),
    ('relationship_strength_combine', '{kam.strength_state,kam.strength_state}', 'kam.strength_state', false),
    ('relationship_strength_final', '{kam.strength_state}',                'kam.relationship_strength_result', false),
    ('strength_state_in',    '{cstring}',                                  'kam.strength_state', false),
    ('strength_state_out',   '{kam.strength_state}',                       'cstring',            false),
    ('strength_state_recv',  '{internal}',                                 'kam.strength_state', false),
    ('strength_state_send',  '{kam.strength_state}',                       'bytea',              false),
    ('cronbach_alpha',       '{"double precision[]"}',                     'double precision',   true),
    ('cronbach_alpha_accum', '{"double precision[]","double precision[]"}', 'double precision[]', false),
    ('cronbach_alpha_combine', '{"double precision[]","double precision[]"}', 'double precision[]', false),
    ('cronbach_alpha_final', '{"double precision[]"}',                     'double precision',   false),
    ('order_summary_state',  '{date,bigint,bigint,date}',                  'bigint[]',           true),
    ('order_summary_accum',  '{bigint[],date,bigint,bigint,date}',         'bigint[]',           false),
    ('order_summary_combine', '{bigint[],bigint[]}',                       'bigint[]',           false),
    ('order_summary_final',  '{bigint[]}',                                 'kam.order_totals',   false),
    ('purchase_days',        '{date,bigint}',                              'kam.purchase_days_result', true),
    ('purchase_days_accum',  '{bigint[],date,bigint}',                     'bigint[]',           false),
    ('purchase_days_combine', '{bigint[],bigint[]}',                       'bigint[]',           false),
    ('purchase_days_final',  '{bigint[]}',                                 'kam.purchase_days_result', false),
    ('clv_unit',             '{"double precision"}',                       'double precision',   false),
    ('purchase_days_error',  '{kam.purchase_days_result,date}',            'boolean',            false),
    ('clv_summary_of',       '{kam.purchase_days_result,date,"double precision"}', 'setof record', false),
    ('clv_scores',           '{kam.clv_scoring,integer,"double precision","double precision",numeric}', 'setof record', false);

-- functions that read tables or the session: STABLE, not IMMUTABLE (and the trigger function)
CREATE TEMP TABLE expected_stable (name text, args text[], volatility text);
INSERT INTO expected_stable VALUES
    ('is_admin',                     '{}',                          'stable'),
    ('my_roles',                     '{}',                          'stable'),
    ('setting_value',                '{text,date}',                 'stable'),
    ('convert_amount',               '{numeric,text,date,text}',    'stable'),
    ('value_parameters',             '{date}',                      'stable'),
    ('clv_calibration',              '{date,"double precision"}',   'stable'),
    ('account_clv_as_of',            '{date}',                      'stable'),
    ('clv_scoring_as_of',            '{date}',                      'stable'),
    ('fit_clv_model',                '{date,"double precision"}',   'volatile'),
    ('weights_in_force',             '{date}',                      'stable'),
    ('relationship_parameters',      '{date}',                      'stable'),
    ('weighted_interactions_as_of',  '{date}',                      'stable'),
    ('contact_strength_as_of',       '{date}',                      'stable'),
    ('decision_chain_as_of',         '{date}',                      'stable'),
    ('relationship_scores_as_of',    '{date}',                      'stable'),
    ('contact_ties_as_of',           '{date}',                      'stable'),
    ('relationship_health_as_of',    '{date}',                      'stable'),
    ('key_person_risk_as_of',        '{date}',                      'stable'),
    ('last_two_way_contact_as_of',   '{date}',                      'stable'),
    ('contact_plan_as_of',           '{date}',                      'stable'),
    ('cadence_for',                  '{"timestamp with time zone",integer,date}', 'stable'),
    ('contact_cadence_as_of',        '{date}',                      'stable'),
    ('open_needs_as_of',             '{date}',                      'stable'),
    ('needs_status_as_of',           '{date}',                      'stable'),
    ('service_targets_for',          '{text,text,date}',            'stable'),
    ('service_target_for',           '{text,text,date}',            'stable'),
    ('service_quality_as_of',        '{date}',                      'stable'),
    ('lifecycle_for',                '{text,integer,integer,date,integer,text,"double precision",date}', 'stable'),
    ('account_lifecycle_as_of',      '{date}',                      'stable'),
    ('kpi_values_as_of',             '{date}',                      'stable'),
    ('daily_review_as_of',           '{date,text[]}',               'stable'),
    ('kpi_status_as_of',             '{date}',                      'stable'),
    ('account_kpi_as_of',            '{date}',                      'stable'),
    ('alerts_as_of',                 '{date}',                      'stable'),
    ('account_360_as_of',            '{date}',                      'stable'),
    ('snapshot_kpis',                '{date}',                      'volatile'),
    ('enable_team_security',         '{regclass}',                  'volatile'),
    ('account_value_as_of',          '{date}',                      'stable'),
    ('account_standing_as_of',       '{date,boolean}',              'stable'),
    ('classified_accounts_as_of',    '{date,boolean}',              'stable'),
    ('account_classification_as_of', '{date}',                      'stable'),
    ('account_check_parent',         '{}',                          'volatile');

-- 127 x has_function, 85 x return type, 42 x volatility, 16 x aggregate
SELECT has_function('kam', name, args, format('kam.%s(%s) exists', name, array_to_string(args, ', ')))
FROM (SELECT name, args FROM expected_function UNION ALL SELECT name, args FROM expected_stable) AS f
ORDER BY name, args;
SELECT volatility_is('kam', name, args, volatility,
                     format('kam.%s(%s) is %s', name, array_to_string(args, ', '), volatility))
FROM expected_stable ORDER BY name;
SELECT function_returns('kam', name, args, returns,
                        format('kam.%s(%s) returns %s', name, array_to_string(args, ', '), returns))
FROM expected_function ORDER BY name, args;
-- 16 x is an aggregate
SELECT is_aggregate('kam', name, args, format('kam.%s(%s) is an aggregate', name, array_to_string(args, ', ')))
FROM expected_function WHERE is_agg ORDER BY name, args;

-- Pure functions are IMMUTABLE (the aggregates' support functions included).
SELECT is_empty($$
    SELECT p.oid::regprocedure FROM pg_proc AS p
    WHERE p.pronamespace = 'kam'::regnamespace AND p.prokind = 'f' AND p.provolatile <> 'i'
      AND p.proname NOT IN (SELECT name FROM expected_stable)
$$, 'every kam function but those that read tables or the session is IMMUTABLE');

SELECT is_empty($$
    SELECT p.oid::regprocedure FROM pg_proc AS p
    WHERE p.pronamespace = 'kam'::regnamespace AND p.proparallel <> 's'
      AND p.prorettype <> 'trigger'::regtype AND p.provolatile <> 'v'
$$, 'every kam function and aggregate that does not write (trigger functions, fit_clv_model) is PARALLEL SAFE');

SELECT is_empty($$
    SELECT p.oid::regprocedure FROM pg_proc AS p
    WHERE p.pronamespace = 'kam'::regnamespace AND obj_description(p.oid, 'pg_proc') IS NULL
$$, 'every kam function and aggregate has a comment');

SELECT is_empty($$
    SELECT t.oid::regtype FROM pg_type AS t
    WHERE t.typnamespace = 'kam'::regnamespace AND t.typcategory <> 'A'
      AND obj_description(t.oid, 'pg_type') IS NULL
      AND NOT EXISTS (SELECT 1 FROM pg_class AS c WHERE c.oid = t.typrelid AND c.relkind <> 'c')
$$, 'every kam type has a comment (row types of tables and views aside)');

SELECT is_empty($$
    SELECT c.oid::regclass FROM pg_class AS c
    WHERE c.relnamespace = 'kam'::regnamespace AND c.relkind IN ('r', 'v', 'S')
      AND obj_description(c.oid, 'pg_class') IS NULL
$$, 'every kam table, view and sequence has a comment');

SELECT is_empty($$
    SELECT c.oid::regclass FROM pg_class AS c
    WHERE c.relnamespace = 'kam'::regnamespace AND c.relkind = 'v'
      AND NOT coalesce(c.reloptions @> ARRAY['security_invoker=true'], false)
$$, 'every kam view is security_invoker');

SELECT is_empty($$
    SELECT c.oid::regclass FROM pg_class AS c
    WHERE c.relnamespace = 'kam'::regnamespace AND c.relkind IN ('r', 'S')
      AND c.oid <> ALL ((SELECT extconfig FROM pg_extension WHERE extname = 'kam')::oid[])
$$, 'every kam table and sequence is registered with pg_extension_config_dump');

SELECT is_empty($$
    SELECT c.oid::regclass FROM pg_class AS c
    WHERE c.relnamespace = 'kam'::regnamespace AND c.relkind = 'r'
      AND EXISTS (SELECT 1 FROM pg_attribute AS a WHERE a.attrelid = c.oid AND a.attname = 'account_id')
      AND NOT c.relrowsecurity
$$, 'every account-scoped kam table has row-level security enabled');

SELECT is_empty($$
    SELECT c.oid::regclass || '.' || a.attname FROM pg_class AS c JOIN pg_attribute AS a ON a.attrelid = c.oid
    WHERE c.relnamespace = 'kam'::regnamespace AND c.relkind = 'v' AND a.attnum > 0
      AND a.atttypid NOT IN ('text'::regtype, 'numeric'::regtype, 'integer'::regtype, 'bigint'::regtype,
                             'date'::regtype, 'double precision'::regtype, 'boolean'::regtype,
                             'timestamp with time zone'::regtype)
$$, 'kam views have standard column types only');

SELECT is_empty($$
    SELECT a.aggfnoid::regprocedure FROM pg_aggregate AS a JOIN pg_proc AS p ON p.oid = a.aggfnoid
    WHERE p.pronamespace = 'kam'::regnamespace AND a.aggtranstype = 'internal'::regtype
$$, 'no kam aggregate has an internal transition type');

SELECT is_empty($$
    SELECT a.aggfnoid::regprocedure FROM pg_aggregate AS a JOIN pg_proc AS p ON p.oid = a.aggfnoid
    WHERE p.pronamespace = 'kam'::regnamespace AND a.aggcombinefn = 0
$$, 'every kam aggregate has a combine function');

SELECT is_empty($$
    SELECT a.aggfnoid::regprocedure FROM pg_aggregate AS a JOIN pg_proc AS p ON p.oid = a.aggfnoid
    WHERE p.pronamespace = 'kam'::regnamespace AND a.aggmtranstype <> 0
      AND a.aggmtranstype = 'internal'::regtype
$$, 'no kam moving aggregate has an internal state');

SELECT is_empty($$
    SELECT a.aggfnoid::regprocedure FROM pg_aggregate AS a JOIN pg_proc AS p ON p.oid = a.aggfnoid
    WHERE p.pronamespace = 'kam'::regnamespace AND a.aggtranstype = 'bigint[]'::regtype
      AND p.proname ~ '^(nps|csat|ces)' AND a.aggminvtransfn = 0
$$, 'every counting survey aggregate has an inverse state function for moving window frames');

SELECT is_empty($$
    SELECT p.oid::regprocedure FROM pg_proc AS p JOIN pg_language AS l ON l.oid = p.prolang
    WHERE p.pronamespace = 'kam'::regnamespace AND l.lanname IN ('sql', 'plpgsql')
      AND p.prosqlbody IS NULL
      AND NOT coalesce(p.proconfig::text[] && ARRAY['search_path=pg_catalog, pg_temp'], false)
$$, 'every kam SQL function pins search_path or has a BEGIN ATOMIC body (bound when created)');

-- The functions returning rows with a BEGIN ATOMIC body and no SET clause
-- are there to be inlined into the query that calls them (not STRICT, not
-- VOLATILE, not SECURITY DEFINER):
-- a plan that still shows a Function Scan on one of them has lost that.
CREATE FUNCTION pg_temp.plan_text(query text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    line text;
    plan text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN ' || query LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN plan;
END $f$;
SELECT is_empty($$
    SELECT p.proname FROM pg_proc AS p
    WHERE p.pronamespace = 'kam'::regnamespace AND p.proretset AND p.prosqlbody IS NOT NULL AND p.proconfig IS NULL
      AND pg_temp.plan_text(format('SELECT * FROM kam.%I(%s)', p.proname,
                                   -- (a day and a time unit that are allowed: constant
                                   -- arguments are checked while planning)
                                   (SELECT string_agg(CASE t WHEN 'date'::regtype THEN '''2026-06-30''::date'
                                                             WHEN 'double precision'::regtype THEN '7::double precision'
                                                             WHEN 'kam.clv_scoring'::regtype
                                                             THEN 'ROW(1, 7, 1, 1, 1, 1, 2, 3, 4, 52, 0.002, 1, 0.3, 0.7)::kam.clv_scoring'
                                                             ELSE 'NULL::' || format_type(t, NULL) END, ', ')
                                    FROM unnest(p.proargtypes::oid[]) AS t)))
          ~ ('Function Scan on ' || p.proname || '\M')
$$, 'every kam function returning rows with a BEGIN ATOMIC body and no SET clause inlines into the calling query');

SELECT is(
    (SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'kam'::regnamespace),
    (SELECT count(*)::int FROM expected_function) + (SELECT count(*)::int FROM expected_stable),
    'kam has exactly the expected functions and aggregates');

SELECT * FROM finish();
ROLLBACK;
