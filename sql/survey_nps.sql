-- NPS, weighted NPS, nps_detail and nps_test against hand-computed values.
-- Definitions: README.md, "Survey measures".

\i sql/include/error_of.sql

-- Every answer 0..10 once: promoters {9,10} = 2, detractors {0..6} = 7,
-- passives {7,8} = 2, n = 11.  NPS = 100 * (2 - 7) / 11 = -45.4545...
SELECT round(kam.nps(s)::numeric, 4) AS nps FROM generate_series(0, 10) AS s;

-- The published check: 70 promoters, 20 passives, 10 detractors.
-- nps = 100 * (70 - 10) / 100 = 60
-- p = .7, d = .1, v = (p + d) - (p - d)^2 = .8 - .36 = .44
-- se = 100 * sqrt(.44 / 100) = 6.6332
-- adjusted Wald: n' = 103, p' = 70.75/103 = .686893, d' = 10.75/103 = .104369
--   centre = 58.2524, v' = .791262 - .339334 = .451928,
--   se' = 100 * sqrt(.451928 / 103) = 6.62394, 1.96 * se' = 12.9829
--   interval [45.2695, 71.2353]   (METHODS.md: [45.27, 71.23])
CREATE TEMP TABLE published AS
SELECT 10 AS score FROM generate_series(1, 70)
UNION ALL SELECT 7 FROM generate_series(1, 20)
UNION ALL SELECT 0 FROM generate_series(1, 10);

SELECT round(kam.nps(score)::numeric, 4) AS nps FROM published;
SELECT n, promoters, passives, detractors,
       round(nps::numeric, 4) AS nps, round(se::numeric, 4) AS se,
       round(ci_low::numeric, 4) AS ci_low, round(ci_high::numeric, 4) AS ci_high
FROM (SELECT (kam.nps_detail(score)).* FROM published) AS d;

-- One promoter: nps 100, se = 100 * sqrt((1 - 1^2) / 1) = 0.
-- adjusted: n' = 4, p' = 1.75/4 = .4375, d' = .75/4 = .1875, centre 25,
-- v' = .625 - .0625 = .5625, se' = 100 * sqrt(.5625/4) = 37.5,
-- interval 25 -+ 73.5 = [-48.5, 98.5]
SELECT n, nps, se, round(ci_low::numeric, 4) AS ci_low, round(ci_high::numeric, 4) AS ci_high
FROM (SELECT (kam.nps_detail(10)).*) AS d;

-- 100 promoters: the interval is clipped at 100.
-- p' = 100.75/103 = .978155, d' = .75/103 = .007282, centre 97.0874,
-- v' = .985437 - .970874^2 = .042841, se' = 100 * sqrt(.042841/103) = 2.03944,
-- low = 97.0874 - 1.96 * 2.03944 = 93.0901, high = 101.08 -> 100
SELECT round(ci_low::numeric, 4) AS ci_low, ci_high
FROM (SELECT (kam.nps_detail(10)).* FROM generate_series(1, 100)) AS d;

-- NULLs are skipped: {9, NULL, 3} is one promoter and one detractor: 0.
SELECT kam.nps(s) AS nps, (kam.nps_detail(s)).n AS n FROM (VALUES (9), (NULL), (3)) AS v(s);

-- No rows, or only NULLs: NULL.
SELECT kam.nps(s) IS NULL AS empty_is_null, kam.nps_detail(s) IS NULL AS detail_is_null
FROM generate_series(1, 0) AS s;
SELECT kam.nps(s) IS NULL AS nulls_only FROM (VALUES (NULL::int), (NULL)) AS v(s);

-- Boundaries of the classes: 6 is a detractor, 7 and 8 passives, 9 a promoter.
SELECT kam.nps(s) FROM (VALUES (6)) AS v(s);
SELECT kam.nps(s) FROM (VALUES (7), (8)) AS v(s);
SELECT kam.nps(s) FROM (VALUES (9)) AS v(s);

-- Grouped.
SELECT g, kam.nps(s) FROM (VALUES (1, 10), (1, 0), (2, 9), (2, 9), (3, 8)) AS v(g, s)
GROUP BY g ORDER BY g;

-- As a window aggregate: running NPS, and over a moving frame of 2 rows.
-- answers 10, 0, 9, 7: running 100, 0, 100 * (2 - 1) / 3 = 33.33, 100 * (2 - 1) / 4 = 25;
-- moving (this and the previous answer): 100, 0, (0, 9) -> 0, (9, 7) -> 50
SELECT i, s, round(kam.nps(s) OVER (ORDER BY i)::numeric, 2) AS running,
       kam.nps(s) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS moving
FROM (VALUES (1, 10), (2, 0), (3, 9), (4, 7)) AS v(i, s)
ORDER BY i;

-- Out-of-range answers: SQLSTATE 22003, naming the value and the range.
SELECT pg_temp.error_of('SELECT kam.nps(s) FROM (VALUES (11)) AS v(s)');
SELECT pg_temp.error_of('SELECT kam.nps(s) FROM (VALUES (-1)) AS v(s)');
SELECT pg_temp.error_of('SELECT kam.nps(s) FROM (VALUES (2147483647)) AS v(s)');
SELECT pg_temp.error_of('SELECT kam.nps_detail(s) FROM (VALUES (-2147483648)) AS v(s)');

----------------------------------------------------------------- weighted NPS

-- (10, w 2), (8, w 1), (3, w 1): 100 * (2 - 1) / 4 = 25
SELECT kam.nps(s, w) FROM (VALUES (10, 2.0), (8, 1.0), (3, 1.0)) AS v(s, w);
-- Equal weights give the unweighted NPS: -45.4545
SELECT round(kam.nps(s, 0.5)::numeric, 4) FROM generate_series(0, 10) AS s;
-- A row with a NULL score or weight is skipped: only (3, 1) counts: -100
SELECT kam.nps(s, w) FROM (VALUES (10, NULL), (NULL, 5.0), (3, 1.0)) AS v(s, w);
-- Zero total weight, no rows: NULL
SELECT kam.nps(s, w) IS NULL AS zero_weight FROM (VALUES (10, 0.0), (3, 0.0)) AS v(s, w);
SELECT kam.nps(s, w) IS NULL AS empty FROM (VALUES (10, 1.0)) AS v(s, w) WHERE false;
-- Bad weights and scores
SELECT pg_temp.error_of('SELECT kam.nps(10, -1.0)');
SELECT pg_temp.error_of($$SELECT kam.nps(10, 'NaN')$$);
SELECT pg_temp.error_of($$SELECT kam.nps(10, 'Infinity')$$);
SELECT pg_temp.error_of($$SELECT kam.nps(10, '-Infinity')$$);
SELECT pg_temp.error_of('SELECT kam.nps(12, 1.0)');
-- Weights whose sum overflows double precision
SELECT pg_temp.error_of('SELECT kam.nps(10, 1e308) FROM generate_series(1, 2)');

------------------------------------------------------------- two-sample test

-- Sample 1: 70/20/10 (NPS 60, v1 = .44); sample 2: 50/30/20
-- (NPS 30, p = .5, d = .2, v2 = .7 - .09 = .61).
-- difference 30, se = 100 * sqrt(.44/100 + .61/100) = 100 * sqrt(.0105) = 10.2470,
-- z = 30 / 10.2470 = 2.9277, p = erfc(2.9277 / sqrt 2) = 0.003415
SELECT difference, round(se::numeric, 4) AS se, round(z::numeric, 4) AS z,
       round(p_value::numeric, 6) AS p_value
FROM kam.nps_test(70, 20, 10, 50, 30, 20);

-- The same from two nps_detail results.
CREATE TEMP TABLE two_periods AS
SELECT 1 AS period, score FROM published
UNION ALL SELECT 2, 10 FROM generate_series(1, 50)
UNION ALL SELECT 2, 8 FROM generate_series(1, 30)
UNION ALL SELECT 2, 2 FROM generate_series(1, 20);
SELECT difference, round(se::numeric, 4) AS se, round(p_value::numeric, 6) AS p_value
FROM (SELECT kam.nps_detail(score) FILTER (WHERE period = 1) AS a,
             kam.nps_detail(score) FILTER (WHERE period = 2) AS b
      FROM two_periods) AS s,
     LATERAL kam.nps_test(s.a, s.b);

-- Reversed samples: the difference and z change sign, p stays.
SELECT difference, round(z::numeric, 4) AS z, round(p_value::numeric, 6) AS p_value
FROM kam.nps_test(50, 30, 20, 70, 20, 10);

-- Zero variance in both samples: se = 0, z and p undefined (NULL).
SELECT difference, se, z IS NULL AS z_null, p_value IS NULL AS p_null
FROM kam.nps_test(10, 0, 0, 5, 0, 0);
-- An empty sample: NULL.  A NULL argument: NULL.
SELECT kam.nps_test(0, 0, 0, 5, 0, 0) IS NULL AS empty_sample;
SELECT kam.nps_test(1, 0, 0, NULL, 0, 0) IS NULL AS null_argument;
SELECT kam.nps_test(NULL::kam.nps_summary, NULL::kam.nps_summary) IS NULL AS null_summary;
-- Negative counts: error.
SELECT pg_temp.error_of('SELECT kam.nps_test(1, -1, 0, 5, 0, 0)');
