-- Parallel plans: every survey aggregate runs as Partial Aggregate under
-- Gather and gives the serial result.

-- 110 000 rows, score = i % 11: every answer 0..10 exactly 10 000 times, so
-- NPS = 100 * (20 000 - 70 000) / 110 000 = -45.4545 (as for 0..10 once);
-- csat: answer i % 5 + 1, each 1..5 22 000 times: 40 %; ces: i % 7 + 1,
-- 110 000 = 7 * 15 714 + 2: i = 109 999 and 110 000 (i % 7 = 1, 2) add one more 2 and 3
-- CREATE TABLE rather than TEMP: parallel workers cannot read temporary tables.
CREATE TABLE survey_parallel_t AS
SELECT i, i % 11 AS score, i % 5 + 1 AS csat, i % 7 + 1 AS ces, (i % 3 + 1)::float8 AS weight,
       i % 100 AS account
FROM generate_series(1, 110000) AS i;
ANALYZE survey_parallel_t;

SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;	-- the workers do all the work: the combine function must be right
SET force_parallel_mode = on;

EXPLAIN (COSTS OFF) SELECT kam.nps(score) FROM survey_parallel_t;
EXPLAIN (COSTS OFF) SELECT account, kam.nps(score) FROM survey_parallel_t GROUP BY account;
-- the workers really run (the leader does not take part)
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT kam.nps(score) FROM survey_parallel_t;

CREATE TEMP TABLE parallel_result AS
SELECT kam.nps(score) AS nps, kam.nps_detail(score) AS nps_detail,
       kam.nps(score, weight) AS nps_weighted,
       kam.csat(csat) AS csat, kam.csat_detail(csat) AS csat_detail,
       kam.csat(csat, 5) AS csat5, kam.ces(ces) AS ces, kam.ces_detail(ces) AS ces_detail
FROM survey_parallel_t;
CREATE TEMP TABLE parallel_grouped AS
SELECT account, kam.nps(score) AS nps, kam.nps(score, weight) AS nps_weighted,
       kam.csat(csat) AS csat, kam.ces_detail(ces) AS ces_detail
FROM survey_parallel_t GROUP BY account;

RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
RESET force_parallel_mode;
SET max_parallel_workers_per_gather = 0;

EXPLAIN (COSTS OFF) SELECT kam.nps(score) FROM survey_parallel_t;

CREATE TEMP TABLE serial_result AS
SELECT kam.nps(score) AS nps, kam.nps_detail(score) AS nps_detail,
       kam.nps(score, weight) AS nps_weighted,
       kam.csat(csat) AS csat, kam.csat_detail(csat) AS csat_detail,
       kam.csat(csat, 5) AS csat5, kam.ces(ces) AS ces, kam.ces_detail(ces) AS ces_detail
FROM survey_parallel_t;
CREATE TEMP TABLE serial_grouped AS
SELECT account, kam.nps(score) AS nps, kam.nps(score, weight) AS nps_weighted,
       kam.csat(csat) AS csat, kam.ces_detail(ces) AS ces_detail
FROM survey_parallel_t GROUP BY account;

-- the hand-computed values
SELECT round(nps::numeric, 4) AS nps, csat, csat5, (nps_detail).n
FROM serial_result;
-- ces: sum = 15 714 * (1 + 2 + ... + 7) + 2 + 3 = 439 997, mean = 439 997 / 110 000 = 3.99997
SELECT round(ces::numeric, 5) AS ces FROM serial_result;

-- parallel = serial (integer counts: exactly; weighted sums: to 12 digits)
SELECT p.nps = s.nps AS nps, p.nps_detail = s.nps_detail AS nps_detail,
       round(p.nps_weighted::numeric, 12) = round(s.nps_weighted::numeric, 12) AS nps_weighted,
       p.csat = s.csat AS csat, p.csat_detail = s.csat_detail AS csat_detail,
       p.csat5 = s.csat5 AS csat5, p.ces = s.ces AS ces, p.ces_detail = s.ces_detail AS ces_detail
FROM parallel_result AS p, serial_result AS s;

SELECT count(*) AS groups,
       count(*) FILTER (WHERE p.nps = s.nps AND p.csat = s.csat AND p.ces_detail = s.ces_detail
                        AND round(p.nps_weighted::numeric, 12) = round(s.nps_weighted::numeric, 12)) AS equal
FROM parallel_grouped AS p JOIN serial_grouped AS s USING (account);

DROP TABLE survey_parallel_t;

-- Moving window frames use the inverse state functions (*_retract): the
-- result of every frame equals the aggregate recomputed over its rows.
CREATE TEMP TABLE moving AS
SELECT i, (i * 7) % 11 AS score, (i * 3) % 5 + 1 AS csat, (i * 5) % 7 + 1 AS ces, (i * 2) % 10 + 1 AS csat10
FROM generate_series(1, 2000) AS i;
CREATE TEMP TABLE moving_window AS
SELECT i,
       kam.nps(score) OVER w AS nps, kam.nps_detail(score) OVER w AS nps_detail,
       kam.csat(csat) OVER w AS csat, kam.csat_detail(csat) OVER w AS csat_detail,
       kam.csat(csat10, 10) OVER w AS csat10, kam.csat_detail(csat10, 10) OVER w AS csat10_detail,
       kam.ces(ces) OVER w AS ces, kam.ces_detail(ces) OVER w AS ces_detail
FROM moving
WINDOW w AS (ORDER BY i ROWS BETWEEN 9 PRECEDING AND CURRENT ROW);
SELECT count(*) AS frames,
       count(*) FILTER (WHERE w.nps = f.nps AND w.nps_detail = f.nps_detail AND w.csat = f.csat
                          AND w.csat_detail = f.csat_detail AND w.csat10 = f.csat10
                          AND w.csat10_detail = f.csat10_detail AND w.ces = f.ces
                          AND w.ces_detail = f.ces_detail) AS equal
FROM moving_window AS w,
     LATERAL (SELECT kam.nps(score) AS nps, kam.nps_detail(score) AS nps_detail,
                     kam.csat(csat) AS csat, kam.csat_detail(csat) AS csat_detail,
                     kam.csat(csat10, 10) AS csat10, kam.csat_detail(csat10, 10) AS csat10_detail,
                     kam.ces(ces) AS ces, kam.ces_detail(ces) AS ces_detail
              FROM moving AS m WHERE m.i BETWEEN w.i - 9 AND w.i) AS f;
