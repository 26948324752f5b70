-- State, combine and final functions called directly from SQL: correct
-- results on good states, clear errors (22023 / 22003) on malformed ones.

\i sql/include/error_of.sql

--------------------------------------------------------------------- nps
-- state {detractors, passives, promoters}
SELECT kam.nps_accum('{0,0,0}', 9), kam.nps_accum('{0,0,0}', 7), kam.nps_accum('{0,0,0}', 6);
-- a direct call does not modify its argument
SELECT s, kam.nps_accum(s, 10) FROM (SELECT '{1,2,3}'::bigint[] AS s) AS v;
SELECT kam.nps_accum(NULL, 9) IS NULL AS strict_state, kam.nps_accum('{0,0,0}', NULL) AS null_score;
SELECT kam.nps_combine('{1,2,3}', '{4,5,6}');
-- 100 * (3 - 1) / 6 = 33.3333
SELECT round(kam.nps_final('{1,2,3}')::numeric, 4), kam.nps_final('{0,0,0}') IS NULL AS empty;
SELECT (kam.nps_detail_final('{1,2,3}')).n, kam.nps_detail_final('{0,0,0}') IS NULL AS empty;
-- counts beyond 2^31
SELECT kam.nps_final('{0,0,3000000000}'), (kam.nps_detail_final('{1000000000,0,3000000000}')).n;
-- CSAT: 3e9 satisfied of 4e9 = 75 %; CES: 3e9 answers of each of 1..7, mean 4;
-- the three combined states of 2^31 + 1 each add up exactly
SELECT kam.csat_final('{5,4000000000,3000000000}') AS csat_75,
       kam.ces_final('{3000000000,3000000000,3000000000,3000000000,3000000000,3000000000,3000000000}') AS ces_4,
       kam.nps_combine(kam.nps_combine('{2147483649,0,0}', '{0,2147483649,0}'), '{0,0,2147483649}') AS combined,
       (kam.relationship_strength_final('(1,3000000000,2147483648,5,5,6,90,90)')).interactions AS interactions;

-- the inverse state function (moving window frames) removes an answer
SELECT kam.nps_retract('{1,2,3}', 9), kam.nps_retract('{1,2,3}', 0), kam.nps_retract('{1,2,3}', 8);
SELECT pg_temp.error_of($$SELECT kam.nps_retract('{1,2,0}', 10)$$);
SELECT pg_temp.error_of($$SELECT kam.nps_retract('{1,2,3}', 11)$$);
SELECT pg_temp.error_of($$SELECT kam.nps_retract('{1,2}', 10)$$);

-- malformed states
SELECT pg_temp.error_of($$SELECT kam.nps_accum('{0,0}', 9)$$);
SELECT pg_temp.error_of($$SELECT kam.nps_accum('{0,0,0,0}', 9)$$);
SELECT pg_temp.error_of($$SELECT kam.nps_accum('{}', 9)$$);
SELECT pg_temp.error_of($$SELECT kam.nps_accum('{0,NULL,0}', 9)$$);
SELECT pg_temp.error_of($$SELECT kam.nps_accum('{{0,0,0}}', 9)$$);
SELECT pg_temp.error_of($$SELECT kam.nps_accum('[0:2]={0,0,0}', 9)$$);
SELECT pg_temp.error_of($$SELECT kam.nps_combine('{1,2,3}', '{-1,0,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.nps_combine('{1,2}', '{1,2,3}')$$);
SELECT pg_temp.error_of($$SELECT kam.nps_final('{1,2,-3}')$$);
SELECT pg_temp.error_of($$SELECT kam.nps_detail_final('{1,2}')$$);
SELECT pg_temp.error_of($$SELECT kam.nps_detail_final('{-1,2,3}')$$);
-- overflow of bigint counts
SELECT pg_temp.error_of($$SELECT kam.nps_accum('{0,0,9223372036854775807}', 10)$$);
SELECT pg_temp.error_of($$SELECT kam.nps_combine('{0,0,9223372036854775807}', '{0,0,1}')$$);
SELECT pg_temp.error_of($$SELECT kam.nps_final('{9223372036854775807,1,0}')$$);
-- an aggregate of one's own over kam's functions with a bad initial state
CREATE AGGREGATE pg_temp.bad_nps(integer) (
    SFUNC = kam.nps_accum, STYPE = bigint[], FINALFUNC = kam.nps_final, INITCOND = '{1}');
SELECT pg_temp.error_of('SELECT pg_temp.bad_nps(s) FROM generate_series(0, 10) AS s');
CREATE AGGREGATE pg_temp.negative_nps(integer) (
    SFUNC = kam.nps_accum, STYPE = bigint[], FINALFUNC = kam.nps_final, INITCOND = '{0,0,-5}');
SELECT pg_temp.error_of('SELECT pg_temp.negative_nps(s) FROM generate_series(0, 10) AS s');

------------------------------------------------------------ weighted nps
SELECT kam.nps_weighted_accum('{0,0,0}', 9, 2.5), kam.nps_weighted_combine('{1,2,3}', '{0.5,0,1}');
-- 100 * (3 - 1) / 6
SELECT round(kam.nps_weighted_final('{1,2,3}')::numeric, 4), kam.nps_weighted_final('{0,0,0}') IS NULL AS zero;
SELECT pg_temp.error_of($$SELECT kam.nps_weighted_accum('{0,0}', 9, 1)$$);
SELECT pg_temp.error_of($$SELECT kam.nps_weighted_accum('{0,0,NULL}', 9, 1)$$);
SELECT pg_temp.error_of($$SELECT kam.nps_weighted_combine('{1,2,3}', '{NaN,0,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.nps_weighted_combine('{Infinity,2,3}', '{0,0,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.nps_weighted_combine('{1,2,3}', '{0,-1,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.nps_weighted_combine('{1e308,0,0}', '{1e308,0,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.nps_weighted_final('{1e308,1e308,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.nps_weighted_final('{-0.5,1,1}')$$);
SELECT pg_temp.error_of($$SELECT kam.nps_weighted_accum('{1e308,0,0}', 5, 1e308)$$);

---------------------------------------- transitions and hand-made states
-- A state function checks the whole state when it may be hand-made: called
-- directly, or on an aggregate's first row (its initial condition); after
-- that, per row, only the state's shape.
SELECT pg_temp.error_of($$SELECT kam.nps_accum('{-1,0,0}', 1)$$);
SELECT pg_temp.error_of($$SELECT kam.nps_retract('{1,-1,0}', 1)$$);
SELECT pg_temp.error_of($$SELECT kam.nps_weighted_accum('{NaN,0,0}', 5, 0.5)$$);
SELECT pg_temp.error_of($$SELECT kam.nps_weighted_accum('{-1,-1,-1}', 5, 0.5)$$);
SELECT pg_temp.error_of($$SELECT kam.csat_accum('{0,1,0}', 5)$$);
SELECT pg_temp.error_of($$SELECT kam.csat_accum('{5,1,2}', 5)$$);
SELECT pg_temp.error_of($$SELECT kam.ces_accum('{0,0,-1,0,0,0,0}', 1)$$);
SELECT pg_temp.error_of($$SELECT kam.ces_retract('{1,0,-1,0,0,0,0}', 1)$$);
-- a start state the data would mend ({-1,0,0} plus one detractor is
-- {0,0,0}, no answers) is refused, not answered with NULL
CREATE AGGREGATE pg_temp.mended_nps(integer) (
    SFUNC = kam.nps_accum, STYPE = bigint[], FINALFUNC = kam.nps_final, INITCOND = '{-1,0,0}');
SELECT pg_temp.error_of('SELECT pg_temp.mended_nps(s) FROM (VALUES (3)) AS v(s)');
-- grouped: every group starts from the checked initial condition
SELECT g, kam.nps(s) FROM (VALUES (1, 10), (1, 0), (2, 9), (2, 9)) AS v(g, s) GROUP BY g ORDER BY g;

-------------------------------------------------------------------- csat
-- state {scale_max (0 = not yet known), n, satisfied}
SELECT kam.csat_accum('{5,0,0}', 4), kam.csat_accum('{5,0,0}', 3), kam.csat_accum('{0,0,0}', 2, 3);
SELECT kam.csat_combine('{0,0,0}', '{7,2,1}'), kam.csat_combine('{7,2,1}', '{0,0,0}'),
       kam.csat_combine('{7,2,1}', '{7,3,3}');
SELECT kam.csat_final('{5,4,3}'), kam.csat_final('{0,0,0}') IS NULL AS empty,
       (kam.csat_detail_final('{7,4,3}')).scale_max;
SELECT kam.csat_retract('{5,2,1}', 5), kam.csat_retract('{5,2,1}', 2), kam.csat_retract('{7,2,1}', 7, 7);
SELECT pg_temp.error_of($$SELECT kam.csat_retract('{5,2,0}', 5)$$);
SELECT pg_temp.error_of($$SELECT kam.csat_retract('{5,0,0}', 1)$$);
SELECT pg_temp.error_of($$SELECT kam.csat_retract('{5,2,1}', 5, 7)$$);
SELECT pg_temp.error_of($$SELECT kam.csat_final('{5,1,2}')$$);
SELECT pg_temp.error_of($$SELECT kam.csat_final('{0,1,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.csat_final('{2,0,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.csat_final('{5,-1,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.csat_detail_final('{5,1}')$$);
SELECT pg_temp.error_of($$SELECT kam.csat_combine('{5,1,1}', '{7,1,1}')$$);
SELECT pg_temp.error_of($$SELECT kam.csat_combine('{5,1,1}', '{5,1,2}')$$);
SELECT pg_temp.error_of($$SELECT kam.csat_accum('{5,0,0}', 4, 7)$$);
SELECT pg_temp.error_of($$SELECT kam.csat_accum('{5,0}', 4)$$);
SELECT pg_temp.error_of($$SELECT kam.csat_accum('{3000,0,0}', 4, 3000)$$);
SELECT pg_temp.error_of($$SELECT kam.csat_accum('{5,9223372036854775807,0}', 4)$$);

--------------------------------------------------------------------- ces
-- state: counts of answers 1..7
SELECT kam.ces_accum('{0,0,0,0,0,0,0}', 7), kam.ces_combine('{1,0,0,0,0,0,1}', '{0,1,0,0,0,0,1}');
-- (1 + 7 + 7) / 3 = 5
SELECT kam.ces_final('{1,0,0,0,0,0,2}'), kam.ces_final('{0,0,0,0,0,0,0}') IS NULL AS empty;
SELECT (kam.ces_detail_final('{1,0,0,0,0,0,2}')).n;
SELECT kam.ces_retract('{1,0,0,0,0,0,2}', 7);
SELECT pg_temp.error_of($$SELECT kam.ces_retract('{1,0,0,0,0,0,2}', 6)$$);
SELECT pg_temp.error_of($$SELECT kam.ces_accum('{0,0,0}', 1)$$);
SELECT pg_temp.error_of($$SELECT kam.ces_combine('{0,0,0,0,0,0,0}', '{0,0,0,0,0,0,-1}')$$);
SELECT pg_temp.error_of($$SELECT kam.ces_final('{0,0,0,0,0,0,0,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.ces_detail_final('{0,0,0,0,0,NULL,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.ces_final('{9223372036854775807,1,0,0,0,0,0}')$$);
