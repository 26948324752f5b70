-- CES 2.0 (1-7): mean, spread, t interval and buckets against hand-computed values.

\i sql/include/error_of.sql

-- Each answer 1..7 once: mean 4; squares 9+4+1+0+1+4+9 = 28, sd = sqrt(28/6) = 2.160247;
-- t(0.975, 6) = 2.446912 (tables); half = 2.446912 * 2.160247 / sqrt 7 = 1.997897:
-- [2.0021, 5.9979]; 1-3: 3/7 = 42.8571 %, 4-5: 28.5714 %, 6-7: 28.5714 %
SELECT kam.ces(s) FROM generate_series(1, 7) AS s;
SELECT n, mean, round(sd::numeric, 4) AS sd, round(ci_low::numeric, 4) AS ci_low,
       round(ci_high::numeric, 4) AS ci_high, round(pct_difficult::numeric, 4) AS pct_difficult,
       round(pct_neutral::numeric, 4) AS pct_neutral, round(pct_easy::numeric, 4) AS pct_easy
FROM (SELECT (kam.ces_detail(s)).* FROM generate_series(1, 7) AS s) AS d;

-- One answer: no spread, no interval.
SELECT n, mean, sd IS NULL AS sd_null, ci_low IS NULL AS low_null, ci_high IS NULL AS high_null,
       pct_difficult, pct_neutral, pct_easy
FROM (SELECT (kam.ces_detail(6)).*) AS d;

-- Constant answers: sd 0, interval [5, 5].
SELECT mean, sd, ci_low, ci_high FROM (SELECT (kam.ces_detail(5)).* FROM generate_series(1, 3)) AS d;

-- {7, 7, 6}: mean 6.6667, sd = sqrt((1/9 + 1/9 + 4/9) / 2) = .57735, t(0.975, 2) = 4.302653,
-- half = 4.302653 * .57735 / sqrt 3 = 1.434218: [5.2324, 8.1009] clipped to 7
SELECT round(mean::numeric, 4) AS mean, round(sd::numeric, 4) AS sd,
       round(ci_low::numeric, 4) AS ci_low, ci_high
FROM (SELECT (kam.ces_detail(s)).* FROM (VALUES (7), (7), (6)) AS v(s)) AS d;

-- 15 x 4 and 16 x 5 (n = 31, df = 30): mean = 140/31 = 4.516129,
-- squares = 15 * .516129^2 + 16 * .483871^2 = 3.995838 + 3.746098 = 7.741935,
-- sd = sqrt(7.741935 / 30) = .508001, t(0.975, 30) = 2.042272 (tables),
-- half = 2.042272 * .508001 / sqrt 31 = .186336: [4.3298, 4.7025]
SELECT round(mean::numeric, 4) AS mean, round(sd::numeric, 4) AS sd,
       round(ci_low::numeric, 4) AS ci_low, round(ci_high::numeric, 4) AS ci_high
FROM (SELECT (kam.ces_detail(CASE WHEN i <= 15 THEN 4 ELSE 5 END)).*
      FROM generate_series(1, 31) AS i) AS d;

-- n = 201 (df = 200, the series expansion): 100 x 3 and 101 x 4:
-- mean = 704/201 = 3.502488,
-- squares = 100 * .502488^2 + 101 * .497512^2 = 25.249378 + 24.999378 = 50.248756,
-- sd = sqrt(50.248756 / 200) = .501242, t(0.975, 200) = 1.971896 (tables),
-- half = 1.971896 * .501242 / sqrt 201 = .069716: [3.4328, 3.5722]
SELECT round(mean::numeric, 4) AS mean, round(sd::numeric, 4) AS sd,
       round(ci_low::numeric, 4) AS ci_low, round(ci_high::numeric, 4) AS ci_high
FROM (SELECT (kam.ces_detail(CASE WHEN i <= 100 THEN 3 ELSE 4 END)).*
      FROM generate_series(1, 201) AS i) AS d;

-- n = 2, df = 1, t = 12.706205: {4, 5}: mean 4.5, sd .707107,
-- half = 12.706205 * .707107 / sqrt 2 = 6.3531: [-1.85, 10.85], clipped to [1, 7]
-- (the t quantiles themselves are checked against tables in test/unit)
SELECT mean, round(sd::numeric, 6) AS sd, ci_low, ci_high
FROM (SELECT (kam.ces_detail(s)).* FROM (VALUES (4), (5)) AS v(s)) AS d;

-- Boundaries of the buckets: 3 is difficult, 4 and 5 neutral, 6 easy.
SELECT pct_difficult, pct_neutral, pct_easy
FROM (SELECT (kam.ces_detail(s)).* FROM (VALUES (3), (4), (5), (6)) AS v(s)) AS d;

-- NULLs skipped; empty input NULL.
SELECT kam.ces(s) FROM (VALUES (2), (NULL), (6)) AS v(s);
SELECT kam.ces(s) IS NULL AS empty, kam.ces_detail(s) IS NULL AS detail_empty
FROM generate_series(1, 0) AS s;

-- Out-of-scale answers: 22003.
SELECT pg_temp.error_of('SELECT kam.ces(0)');
SELECT pg_temp.error_of('SELECT kam.ces(8)');
SELECT pg_temp.error_of('SELECT kam.ces_detail(-7)');
