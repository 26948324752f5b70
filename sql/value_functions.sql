-- Customer value functions: rfm_tier over all 125 cells, quintile and cut
-- scores, ABC classes at their boundaries, closed-form CLV.

\i sql/include/error_of.sql

-- The R/F grid, typed from its published description (Champions R5 F4-5;
-- Loyal Customers R3-4 F4-5; Potential Loyalists R4-5 F2-3; New Customers
-- R5 F1; Promising R4 F1; Need Attention R3 F3; About To Sleep R3 F1-2;
-- At Risk R1-2 F3-4; Can't Lose Them R1-2 F5; Hibernating R1-2 F1-2).
CREATE TEMP TABLE published_grid (segment text, r_lo int, r_hi int, f_lo int, f_hi int);
INSERT INTO published_grid VALUES
    ('Champions', 5, 5, 4, 5), ('Loyal Customers', 3, 4, 4, 5), ('Potential Loyalists', 4, 5, 2, 3),
    ('New Customers', 5, 5, 1, 1), ('Promising', 4, 4, 1, 1), ('Need Attention', 3, 3, 3, 3),
    ('About To Sleep', 3, 3, 1, 2), ('At Risk', 1, 2, 3, 4), ('Can''t Lose Them', 1, 2, 5, 5),
    ('Hibernating', 1, 2, 1, 2);
-- the published grid itself covers each R/F cell exactly once
SELECT count(*) AS cells, count(*) FILTER (WHERE matches = 1) AS covered_once
FROM (SELECT r, f, (SELECT count(*) FROM published_grid AS g
                    WHERE r BETWEEN g.r_lo AND g.r_hi AND f BETWEEN g.f_lo AND g.f_hi) AS matches
      FROM generate_series(1, 5) AS r, generate_series(1, 5) AS f) AS c;
-- kam.rfm_tier gives every one of the 125 R/F/M cells the published segment
SELECT count(*) AS cells,
       count(*) FILTER (WHERE kam.rfm_tier(r, f, m) = (SELECT g.segment FROM published_grid AS g
                         WHERE r BETWEEN g.r_lo AND g.r_hi AND f BETWEEN g.f_lo AND g.f_hi)) AS as_published
FROM generate_series(1, 5) AS r, generate_series(1, 5) AS f, generate_series(1, 5) AS m;
SELECT kam.rfm_tier(5, 5, 1), kam.rfm_tier(1, 5, 5), kam.rfm_tier(3, 3, 3), kam.rfm_tier(5, 1, 5);
SELECT kam.rfm_tier(NULL, 1, 1) IS NULL AS strict;
SELECT pg_temp.error_of('SELECT kam.rfm_tier(6, 1, 1)');
SELECT pg_temp.error_of('SELECT kam.rfm_tier(1, 0, 1)');
SELECT pg_temp.error_of('SELECT kam.rfm_tier(1, 1, -2147483648)');

-- quintile_score = 1 + floor(5 (rank - 1) / n)
-- n = 5: ranks 1..5 -> 1..5; n = 6: ranks 1..6 -> 1, 1, 2, 3, 4, 5;
-- n = 1: 1; n = 10: rank 10 -> 1 + floor(45 / 10) = 5
SELECT array_agg(kam.quintile_score(i, 5) ORDER BY i) AS n5,
       (SELECT array_agg(kam.quintile_score(i, 6) ORDER BY i) FROM generate_series(1, 6) AS i) AS n6,
       kam.quintile_score(1, 1) AS n1, kam.quintile_score(10, 10) AS n10
FROM generate_series(1, 5) AS i;
SELECT kam.quintile_score(9223372036854775807, 9223372036854775807) AS huge;
SELECT pg_temp.error_of('SELECT kam.quintile_score(0, 5)');
SELECT pg_temp.error_of('SELECT kam.quintile_score(6, 5)');
SELECT pg_temp.error_of('SELECT kam.quintile_score(1, 0)');

-- cut_score = 1 + number of cut points <= value; a value on a cut point
-- belongs to the higher score
SELECT v, kam.cut_score(v, '{30,90,180,365}') AS score
FROM unnest('{0,29.9,30,89,90,365,1000}'::float8[]) AS v;
SELECT kam.cut_score(5, '{1,1,10,10}') AS repeated_cuts;
SELECT pg_temp.error_of($$SELECT kam.cut_score(1, '{3,2,4,5}')$$);
SELECT pg_temp.error_of($$SELECT kam.cut_score(1, '{}')$$);
SELECT pg_temp.error_of($$SELECT kam.cut_score(1, '{1,NULL}')$$);
SELECT pg_temp.error_of($$SELECT kam.cut_score(1, '{{1,2},{3,4}}')$$);
SELECT pg_temp.error_of($$SELECT kam.cut_score('NaN', '{1,2}')$$);
SELECT pg_temp.error_of($$SELECT kam.cut_score(1, '{1,Infinity}')$$);

-- abc_class by the share held by the accounts before: A below 0.8, B below
-- 0.95, C from 0.95; the account that crosses 0.8 starts below it: A
SELECT s, kam.abc_class(s) AS class FROM unnest('{0,0.5,0.7999999,0.8,0.9,0.95,1}'::float8[]) AS s;
SELECT kam.abc_class(0.6, 0.5, 0.7) AS custom_b, kam.abc_class(0.5, 0.5, 0.5) AS equal_cuts;
SELECT pg_temp.error_of('SELECT kam.abc_class(1.5)');
SELECT pg_temp.error_of('SELECT kam.abc_class(-0.1)');
SELECT pg_temp.error_of($$SELECT kam.abc_class('NaN')$$);
SELECT pg_temp.error_of('SELECT kam.abc_class(0.5, 0.9, 0.8)');
SELECT pg_temp.error_of('SELECT kam.abc_class(0.5, 0, 0.8)');
SELECT pg_temp.error_of('SELECT kam.abc_class(0.5, 0.8, 1.2)');

-- CLV (Gupta & Lehmann): m = 100, r = 0.8, i = 0.1:
-- infinite 100 * 0.8 / (1.1 - 0.8) = 266.67;
-- 5 periods: q = 0.8/1.1 = 0.727273, q (1 - q^5) / (1 - q) = 2.12410 -> 212.41;
-- 1 period: 100 * 0.727273 = 72.73; 0 periods: 0;
-- r = 0: 0; no discount, r = 0.5: 100 * 0.5 / 0.5 = 100
SELECT round(kam.clv(100, 0.8, 0.1)::numeric, 2) AS infinite,
       round(kam.clv(100, 0.8, 0.1, 5)::numeric, 2) AS five,
       round(kam.clv(100, 0.8, 0.1, 1)::numeric, 2) AS one,
       kam.clv(100, 0.8, 0.1, 0) AS none,
       kam.clv(100, 0, 0.1) AS no_retention,
       kam.clv(100, 0.5, 0) AS no_discount;
-- a long finite horizon approaches the infinite one
SELECT round(kam.clv(100, 0.8, 0.1, 1000)::numeric, 2) AS thousand;
-- q = r / (1 + i) = 1 (r = 0.5, i = -0.5): every period is worth m: 100 * 3
SELECT kam.clv(100, 0.5, -0.5, 3) AS q_one;
SELECT pg_temp.error_of('SELECT kam.clv(100, 1, 0.1)');
SELECT pg_temp.error_of('SELECT kam.clv(100, -0.1, 0.1)');
SELECT pg_temp.error_of('SELECT kam.clv(100, 0.8, -1)');
SELECT pg_temp.error_of($$SELECT kam.clv('NaN', 0.8, 0.1)$$);
SELECT pg_temp.error_of($$SELECT kam.clv('Infinity', 0.8, 0.1)$$);
SELECT pg_temp.error_of($$SELECT kam.clv(100, 0.8, 'Infinity')$$);
SELECT pg_temp.error_of('SELECT kam.clv(100, 0.8, 0.1, -1)');
SELECT pg_temp.error_of('SELECT kam.clv(100, 0.9, -0.5)');
SELECT pg_temp.error_of('SELECT kam.clv(1e308, 0.99, -0.9, 2147483647)');
-- kam.convert_amount: NULL stays NULL, an amount in the reporting currency is
-- itself, NaN and infinite amounts are refused
SELECT kam.convert_amount(NULL, 'EUR', '2020-06-30', 'USD') IS NULL AS null_amount,
       kam.convert_amount(12.5, 'USD', '2020-06-30', 'USD') AS same_currency;
SELECT pg_temp.error_of($$SELECT kam.convert_amount('NaN', 'USD', '2020-06-30', 'USD')$$);
SELECT pg_temp.error_of($$SELECT kam.convert_amount('-Infinity', 'EUR', '2020-06-30', 'USD')$$);
-- the infinite horizon overflows too: 1e308 * 0.99 / (1 + 0 - 0.99) = 9.9e309
SELECT pg_temp.error_of('SELECT kam.clv(1e308, 0.99, 0)');
-- a zero margin is worth 0 even where q^T overflows (q = 0.9 / 1e-8, T = 100000)
SELECT kam.clv(0, 0.9, -0.99999999, 100000) AS zero_margin_finite,
       kam.clv(0, 0.9, 0.1) AS zero_margin_infinite;
