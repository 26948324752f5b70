-- CSAT (top-two-box share) and its Wilson interval against hand-computed values.

\i sql/include/error_of.sql

-- {1,2,3,4,5,5}: 3 of 6 answers are 4 or 5: CSAT 50.
-- Wilson, z = 1.96: z^2/n = .640267, centre = .5 + .320133 = .820133,
-- half = 1.96 * sqrt(.25/6 + 3.8416/144) = 1.96 * .261428 = .512399,
-- divisor 1.640267: [.187613, .812387] -> [18.76, 81.24]
SELECT kam.csat(s) FROM (VALUES (1), (2), (3), (4), (5), (5)) AS v(s);
SELECT n, satisfied, csat, round(ci_low::numeric, 2) AS ci_low,
       round(ci_high::numeric, 2) AS ci_high, scale_max
FROM (SELECT (kam.csat_detail(s)).* FROM (VALUES (1), (2), (3), (4), (5), (5)) AS v(s)) AS d;

-- 80 of 100: the textbook Wilson interval [71.12, 86.66]
-- (centre .8 + .019208 = .819208, half = 1.96 * sqrt(.0016 + .00009604) = .080719,
--  divisor 1.038416)
SELECT csat, round(ci_low::numeric, 2) AS ci_low, round(ci_high::numeric, 2) AS ci_high
FROM (SELECT (kam.csat_detail(CASE WHEN i <= 80 THEN 5 ELSE 2 END)).*
      FROM generate_series(1, 100) AS i) AS d;

-- All satisfied, n = 5: upper bound 100, lower = 1 / (1 + 3.8416/5) = 56.55
SELECT csat, round(ci_low::numeric, 2) AS ci_low, ci_high
FROM (SELECT (kam.csat_detail(4)).* FROM generate_series(1, 5)) AS d;

-- Other scales: top two of 1..10 are 9 and 10: {10, 9, 8, 1} -> 50;
-- of 1..3 the top two are 2 and 3: {3, 2, 1} -> 66.67 (Wilson [20.77, 93.85])
SELECT kam.csat(s, 10) FROM (VALUES (10), (9), (8), (1)) AS v(s);
SELECT round(csat::numeric, 2) AS csat, round(ci_low::numeric, 2) AS ci_low,
       round(ci_high::numeric, 2) AS ci_high, scale_max
FROM (SELECT (kam.csat_detail(s, 3)).* FROM (VALUES (3), (2), (1)) AS v(s)) AS d;
-- the boundary of the 1-5 scale: 3 is not satisfied, 4 is
SELECT kam.csat(s) FROM (VALUES (3)) AS v(s);
SELECT kam.csat(s) FROM (VALUES (4)) AS v(s);

-- NULL answers (and NULL scales) skipped; empty input NULL.
SELECT kam.csat(s) FROM (VALUES (5), (NULL), (1)) AS v(s);
SELECT kam.csat(s, k) FROM (VALUES (5, NULL), (7, 7), (1, 7)) AS v(s, k);
SELECT kam.csat(s) IS NULL AS empty, kam.csat_detail(s) IS NULL AS detail_empty,
       kam.csat(s, 7) IS NULL AS scale_empty
FROM generate_series(1, 0) AS s;

-- Bad input: out-of-scale answers (22003), bad scales and mixed scales (22023).
SELECT pg_temp.error_of('SELECT kam.csat(0)');
SELECT pg_temp.error_of('SELECT kam.csat(6)');
SELECT pg_temp.error_of('SELECT kam.csat(11, 10)');
SELECT pg_temp.error_of('SELECT kam.csat(1, 2)');
SELECT pg_temp.error_of('SELECT kam.csat(1, 1001)');
SELECT pg_temp.error_of('SELECT kam.csat(1, -5)');
SELECT pg_temp.error_of('SELECT kam.csat(s, k) FROM (VALUES (1, 5), (1, 7)) AS v(s, k)');
