-- Predictive CLV on the CDNOW data of the BG/NBD literature: calibration
-- summary against Hardie's file, fits against the published parameters,
-- single-customer likelihoods and scores against independent values, bad input.

\i sql/include/error_of.sql

-- The 1/10 sample: 2,357 customers, 6,919 purchases (test/data/cdnow/).
CREATE TEMP TABLE cdnow_raw (line text);
\copy cdnow_raw FROM 'test/data/cdnow/CDNOW_sample.txt'
INSERT INTO kam.account (account_id, external_ref, name)
SELECT DISTINCT 100000 + f[2]::bigint, 'cdnow-' || f[1], 'CDNOW customer ' || f[2]
FROM (SELECT regexp_split_to_array(btrim(line, E' \r'), '\s+') AS f FROM cdnow_raw) AS r;
INSERT INTO kam.sales_order (account_id, order_date, amount)
SELECT 100000 + f[2]::bigint, to_date(f[3], 'YYYYMMDD'), f[5]::numeric
FROM (SELECT regexp_split_to_array(btrim(line, E' \r'), '\s+') AS f FROM cdnow_raw) AS r;

-- Calibration to 1997-09-30 in weeks: every customer equals Hardie's summary
-- (x exactly; t_x, T and zbar as the file rounds them, half up to 2 places).
CREATE TEMP TABLE hardie (id int, x int, t_x numeric, t numeric, zbar numeric);
\copy hardie FROM 'test/data/cdnow/cdnow_customers_summary_with_transactions.csv' WITH (FORMAT csv, HEADER)
CREATE TEMP TABLE calibration AS
SELECT * FROM kam.clv_calibration('1997-09-30') WHERE account_id > 100000;
SELECT count(*) AS customers, sum(c.x) AS repeat_transactions, count(*) FILTER (WHERE c.x > 0) AS repeat_customers,
       count(*) FILTER (WHERE c.x = h.x AND round(c.t_x::numeric, 2) = h.t_x AND round(c."T"::numeric, 2) = h.t
                          AND round(coalesce(c.mean_value, 0), 2) = h.zbar) AS as_hardie
FROM calibration AS c JOIN hardie AS h ON h.id = c.account_id - 100000;
-- a customer whose first purchase is 1997-01-01: T = 272 / 7 = 38.857 weeks
SELECT round("T"::numeric, 3) AS "T" FROM calibration WHERE first_purchase = '1997-01-01' LIMIT 1;
-- in days
SELECT round("T"::numeric, 3) AS "T days" FROM kam.clv_calibration('1997-09-30', 1)
WHERE account_id > 100000 AND first_purchase = '1997-01-01' LIMIT 1;

-- BG/NBD: Fader, Hardie & Lee (2005) report r = 0.243, alpha = 4.414,
-- a = 0.793, b = 2.426, LL = -9582.4 on these data.
SELECT round(r::numeric, 3) AS r, round(alpha::numeric, 3) AS alpha, round(a::numeric, 3) AS a,
       round(b::numeric, 3) AS b, round(log_likelihood::numeric, 1) AS ll, converged, customers
FROM (SELECT (kam.bgnbd_fit(x, t_x, "T")).* FROM calibration) AS f;

-- Gamma-Gamma on the 946 repeat customers (Fader & Hardie's note: p = 6.25,
-- q = 3.74, gamma = 15.44; mean spend p gamma / (q - 1) = 35.17)
SELECT round(p::numeric, 2) AS p, round(q::numeric, 2) AS q, round(gamma::numeric, 2) AS gamma,
       round(log_likelihood::numeric, 1) AS ll, converged, customers, excluded, round(mean_spend::numeric, 2) AS mean_spend
FROM (SELECT (kam.gammagamma_fit(x, mean_value::float8)).* FROM calibration) AS f;

-- Single customers at the published parameters, against values computed
-- independently (Python's math.lgamma and the textbook formulas):
-- (2, 30.43, 38.86): -9.45860631; (0, 0, 38.86): -0.55471328; (10, 35, 38): -27.17451817;
-- Gamma-Gamma (6.25, 3.74, 15.44) for x = 2, mean 22.35: -3.55131676
SELECT round(kam.bgnbd_log_likelihood(0.243, 4.414, 0.793, 2.426, 2, 30.43, 38.86)::numeric, 8) AS ll_2,
       round(kam.bgnbd_log_likelihood(0.243, 4.414, 0.793, 2.426, 0, 0, 38.86)::numeric, 8) AS ll_0,
       round(kam.bgnbd_log_likelihood(0.243, 4.414, 0.793, 2.426, 10, 35, 38)::numeric, 8) AS ll_10,
       round(kam.gammagamma_log_likelihood(6.25, 3.74, 15.44, 2, 22.35)::numeric, 8) AS gg;

-- Scores of the paper's example customer (x 2, t_x 30.43, T 38.86) at
-- r .2426, alpha 4.4136, a .7930, b 2.4259: P(alive) = .7266, E[Y(39)] = 1.2259
-- (textbook form, summed independently); expected spend at (6.25, 3.74, 15.44),
-- x 2, mean 22.35: 6.25 (15.44 + 44.70) / (12.5 + 2.74) = 24.6637
SELECT round(kam.bgnbd_p_alive(0.2426, 4.4136, 0.7930, 2.4259, 2, 30.43, 38.86)::numeric, 4) AS p_alive,
       round(kam.bgnbd_expected_transactions(0.2426, 4.4136, 0.7930, 2.4259, 2, 30.43, 38.86, 39)::numeric, 4) AS expected,
       round(kam.gammagamma_expected_spend(6.25, 3.74, 15.44, 2, 22.35)::numeric, 4) AS spend,
       kam.bgnbd_p_alive(0.2426, 4.4136, 0.7930, 2.4259, 0, 0, 38.86) AS p_alive_x0,
       round(kam.gammagamma_expected_spend(6.25, 3.74, 15.44, 0, 0)::numeric, 4) AS spend_x0;
-- heavy buyers stay finite: 5000 purchases, the last just before T
SELECT kam.bgnbd_p_alive(0.2426, 4.4136, 0.7930, 2.4259, 5000, 38.8, 38.86) BETWEEN 0 AND 1 AS p_finite,
       kam.bgnbd_expected_transactions(0.2426, 4.4136, 0.7930, 2.4259, 5000, 38.8, 38.86, 52) > 100 AS many,
       kam.bgnbd_log_likelihood(0.2426, 4.4136, 0.7930, 2.4259, 5000, 38.8, 38.86) > -1e6 AS ll_finite;
-- CLV over 0 time units is 0; discounting lowers it
SELECT kam.predicted_clv(0.2426, 4.4136, 0.7930, 2.4259, 6.25, 3.74, 15.44, 2, 30.43, 38.86, 22.35, 0, 0.002, 0.3) AS none,
       kam.predicted_clv(0.2426, 4.4136, 0.7930, 2.4259, 6.25, 3.74, 15.44, 2, 30.43, 38.86, 22.35, 52, 0, 0.3)
     > kam.predicted_clv(0.2426, 4.4136, 0.7930, 2.4259, 6.25, 3.74, 15.44, 2, 30.43, 38.86, 22.35, 52, 0.01, 0.3) AS discounting_lowers;
-- undiscounted CLV = E[Y(52)] x spend x margin
SELECT round((kam.predicted_clv(0.2426, 4.4136, 0.7930, 2.4259, 6.25, 3.74, 15.44, 2, 30.43, 38.86, 22.35, 52, 0, 0.3)
        / (kam.bgnbd_expected_transactions(0.2426, 4.4136, 0.7930, 2.4259, 2, 30.43, 38.86, 52)
           * kam.gammagamma_expected_spend(6.25, 3.74, 15.44, 2, 22.35) * 0.3))::numeric, 10) AS ratio;

-- The model table: fit and store as of 1997-09-30, then score every account.
SELECT model_id, calibrated_to, unit_days, round(r::numeric, 3) AS r, round(b::numeric, 3) AS b,
       round(p::numeric, 2) AS p, round(q::numeric, 2) AS q, bgnbd_converged, gammagamma_converged,
       customers, repeat_customers
FROM kam.fit_clv_model('1997-09-30');
-- sample customer 1 is the paper's example (x 2, t_x 30.43, T 38.86): P(alive) .7266 at the
-- fitted parameters; churn risk bands: P(alive) < .3 high, < .7 medium, else low
SELECT x, round(t_x::numeric, 2) AS t_x, round("T"::numeric, 2) AS "T", round(p_alive::numeric, 4) AS p_alive,
       expected_transactions > 0 AS expects, expected_value > 0 AS valued, predicted_clv > 0 AS clv, churn_risk
FROM kam.account_clv_as_of('1997-09-30') WHERE account_id = 100001;
SELECT churn_risk, count(*) AS accounts, round(min(p_alive)::numeric, 3) AS min_p, round(max(p_alive)::numeric, 3) AS max_p
FROM kam.account_clv_as_of('1997-09-30') WHERE account_id > 100000 GROUP BY churn_risk ORDER BY min(p_alive);
-- the bands follow the settings in force
INSERT INTO kam.setting (name, valid_from, value) VALUES ('churn_high_below', '1997-01-01', '0.8');
SELECT count(*) FILTER (WHERE churn_risk = 'high') = count(*) FILTER (WHERE p_alive < 0.8) AS configured
FROM kam.account_clv_as_of('1997-09-30') WHERE account_id > 100000;
DELETE FROM kam.setting WHERE name = 'churn_high_below';
-- no model calibrated on or before the day: no rows
SELECT count(*) AS before_any_model FROM kam.account_clv_as_of('1997-06-30');
SELECT pg_temp.error_of($$SELECT kam.fit_clv_model('1990-01-01')$$);

-- The full master log: 23,570 customers; Sigma x = 24,337, 9,451 repeat customers.
TRUNCATE cdnow_raw;
\copy cdnow_raw FROM 'test/data/cdnow/CDNOW_master.txt'
CREATE TEMP TABLE master_orders AS
SELECT f[1]::int AS customer, to_date(f[2], 'YYYYMMDD') AS day, f[4]::numeric AS amount
FROM (SELECT regexp_split_to_array(btrim(line, E' \r'), '\s+') AS f FROM cdnow_raw) AS r
WHERE f[1] ~ '^[0-9]+$';    -- (the first line is a header)
INSERT INTO kam.account (account_id, name) SELECT DISTINCT 200000 + customer, 'CDNOW master ' || customer FROM master_orders;
INSERT INTO kam.sales_order (account_id, order_date, amount) SELECT 200000 + customer, day, amount FROM master_orders;
CREATE TEMP TABLE master_calibration AS
SELECT * FROM kam.clv_calibration('1997-09-30') WHERE account_id > 200000;
SELECT count(*) AS customers, sum(x) AS repeat_transactions, count(*) FILTER (WHERE x > 0) AS repeat_customers
FROM master_calibration;
SELECT converged, customers, r > 0 AND alpha > 0 AND a > 0 AND b > 0 AS positive
FROM (SELECT (kam.bgnbd_fit(x, t_x, "T")).* FROM master_calibration) AS f;
-- one repeat customer spent nothing on repeat purchases: left out with a notice
SELECT converged, customers, excluded
FROM (SELECT (kam.gammagamma_fit(x, mean_value::float8)).* FROM master_calibration) AS f;

-- The fit merges equal customers and sorts them before it starts, so the
-- rows' order changes nothing, not even the last digit (it had changed the
-- iterations, 27 and 31, and the log-likelihood's 13th digit).
SELECT a = b AS same_fit_in_any_order
FROM (SELECT kam.bgnbd_fit(x, t_x, "T" ORDER BY account_id) AS a FROM master_calibration) AS f,
     (SELECT kam.bgnbd_fit(x, t_x, "T" ORDER BY "T" DESC, account_id DESC) AS b FROM master_calibration) AS g;
-- the same for Gamma-Gamma (its customers sorted by x and mean spend)
SELECT a = b AS same_gammagamma_fit_in_any_order
FROM (SELECT kam.gammagamma_fit(x, mean_value::float8 ORDER BY account_id) AS a FROM master_calibration) AS f,
     (SELECT kam.gammagamma_fit(x, mean_value::float8 ORDER BY mean_value DESC, account_id) AS b FROM master_calibration) AS g;

-- In a parallel plan the fit equals the serial one, to the last digit.
CREATE TABLE clv_parallel AS SELECT x, t_x, "T" FROM master_calibration;
SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET force_parallel_mode = on;
EXPLAIN (COSTS OFF) SELECT kam.bgnbd_fit(x, t_x, "T") FROM clv_parallel;
CREATE TEMP TABLE parallel_fit AS SELECT (kam.bgnbd_fit(x, t_x, "T")).* FROM clv_parallel;
RESET max_parallel_workers_per_gather; RESET parallel_setup_cost; RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size; RESET force_parallel_mode;
SELECT p.r = s.r AND p.alpha = s.alpha AND p.a = s.a AND p.b = s.b AND p.log_likelihood = s.log_likelihood AS equal
FROM parallel_fit AS p, (SELECT (kam.bgnbd_fit(x, t_x, "T")).* FROM clv_parallel) AS s;
DROP TABLE clv_parallel;

-- Bad input.
SELECT pg_temp.error_of($$SELECT kam.bgnbd_fit(x, t_x, T) FROM (VALUES (-1.0, 0.0, 10.0)) AS v(x, t_x, T)$$);
SELECT pg_temp.error_of($$SELECT kam.bgnbd_fit(x, t_x, T) FROM (VALUES (1.5, 2.0, 10.0)) AS v(x, t_x, T)$$);
SELECT pg_temp.error_of($$SELECT kam.bgnbd_fit(x, t_x, T) FROM (VALUES (2.0, 12.0, 10.0)) AS v(x, t_x, T)$$);
SELECT pg_temp.error_of($$SELECT kam.bgnbd_fit(x, t_x, T) FROM (VALUES (0.0, 3.0, 10.0)) AS v(x, t_x, T)$$);
SELECT pg_temp.error_of($$SELECT kam.bgnbd_fit(x, t_x, T) FROM (VALUES (2.0, 3.0, 'NaN'::float8)) AS v(x, t_x, T)$$);
SELECT pg_temp.error_of($$SELECT kam.bgnbd_fit(x, t_x, T) FROM (VALUES (2.0, 3.0, 'Infinity'::float8)) AS v(x, t_x, T)$$);
SELECT pg_temp.error_of($$SELECT kam.bgnbd_fit(x, t_x, T) FROM (VALUES (0.0, 0.0, 0.0)) AS v(x, t_x, T)$$);
SELECT pg_temp.error_of($$SELECT kam.bgnbd_final('{1,2,3}')$$);
SELECT pg_temp.error_of($$SELECT kam.bgnbd_final('{1,2,3,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.bgnbd_final('{{1,2},{3,4}}')$$);
SELECT pg_temp.error_of($$SELECT kam.bgnbd_combine('{1,2,3,1}', '{1,NULL,3,1}')$$);
SELECT kam.bgnbd_fit(x, t_x, T) IS NULL AS empty FROM (VALUES (1.0, 2.0, 3.0)) AS v(x, t_x, T) WHERE false;
SELECT pg_temp.error_of($$SELECT kam.gammagamma_fit(x, z) FROM (VALUES (1.0, -2.0)) AS v(x, z)$$);
SELECT pg_temp.error_of($$SELECT kam.gammagamma_final('{0,1,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.gammagamma_final('{-1}')$$);
SELECT kam.gammagamma_fit(x, z) IS NULL AS no_repeat_customers FROM (VALUES (0.0, 0.0)) AS v(x, z);
SELECT pg_temp.error_of('SELECT kam.bgnbd_p_alive(0, 4, 0.8, 2.4, 2, 30, 38)');
SELECT pg_temp.error_of($$SELECT kam.bgnbd_p_alive('NaN', 4, 0.8, 2.4, 2, 30, 38)$$);
SELECT pg_temp.error_of('SELECT kam.bgnbd_expected_transactions(0.24, 4.4, 0.8, 2.4, 2, 30, 38, -1)');
SELECT pg_temp.error_of('SELECT kam.gammagamma_expected_spend(6, 0.9, 15, 0, 0)');
SELECT pg_temp.error_of('SELECT kam.gammagamma_expected_spend(6, 3, 15, 0, 5)');
SELECT pg_temp.error_of('SELECT kam.predicted_clv(0.24, 4.4, 0.8, 2.4, 6, 3, 15, 2, 30, 38, 22, 52, 0.01, 1.5)');
SELECT pg_temp.error_of('SELECT kam.predicted_clv(0.24, 4.4, 0.8, 2.4, 6, 3, 15, 2, 30, 38, 22, 52, -1, 0.3)');
SELECT pg_temp.error_of($$SELECT * FROM kam.clv_calibration('1997-09-30', 0)$$);

-- kam.purchase_days, the calibration's pass over the orders, by hand: orders
-- (day, amount) 01-05 10, 01-03 5, 01-05 2.5, 01-03 1, 02-01 -3 (a credit),
-- NULLs skipped.  Days 2026-01-03, 01-05, 02-01: 3 purchase days, first
-- 01-03, last 02-01; amount 10 + 5 + 2.5 + 1 - 3 = 15.5; after the first day
-- 10 + 2.5 - 3 = 9.5.  In this order and reversed (a new first day restarts
-- the first day's sum).
CREATE TEMP TABLE pd_orders (n int, day date, amount numeric);
INSERT INTO pd_orders VALUES (1, '2026-01-05', 10), (2, '2026-01-03', 5), (3, '2026-01-05', 2.5),
    (4, '2026-01-03', 1), (5, '2026-02-01', -3), (6, NULL, 7), (7, '2026-03-01', NULL);
SELECT (kam.purchase_days(day, (amount * 10000)::bigint ORDER BY n)).* FROM pd_orders;
SELECT (kam.purchase_days(day, (amount * 10000)::bigint ORDER BY n DESC)).* FROM pd_orders;
-- the state: {days, total, first day's total, days since 2000-01-01 ascending
-- (9499, 9501, 9528), unused slots}: 8 slots after the first day
SELECT kam.purchase_days_accum(kam.purchase_days_accum(kam.purchase_days_accum(
           '{0,0,0}', '2026-01-05', 100000), '2026-01-03', 50000), '2026-02-01', -30000);
-- no orders, or none but NULLs: NULL
SELECT kam.purchase_days(day, 1) IS NULL AS empty FROM pd_orders WHERE false;
SELECT kam.purchase_days(day, NULL::bigint) IS NULL AS only_nulls FROM pd_orders;
-- combining (amounts in units of 1/10000): the days' union; the first day's
-- sum from the state with the earlier first day, or both when they share it.
-- {01-03: 6} + {01-03: 4, 01-04: 2}: 2 days, total 12, first day's 6 + 4 =
-- 10, repeat 2 (.0012, .0002); {01-05: 6} + the same: 3 days, first day's 4
-- (the second's), repeat 12 - 4 = 8
SELECT kam.purchase_days_final(kam.purchase_days_combine('{1,6,6,9499}', '{2,6,4,9499,9500}'));
SELECT kam.purchase_days_final(kam.purchase_days_combine('{1,6,6,9501,-9223372036854775808}', '{2,6,4,9499,9500}'));
SELECT kam.purchase_days_combine('{0,0,0}', '{1,6,6,9499,-9223372036854775808}');
-- states the aggregate cannot reach, a date that is not finite, sums past 2^63 - 1
SELECT pg_temp.error_of($$SELECT kam.purchase_days_final('{1,0,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.purchase_days_final('{0,5,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.purchase_days_final('{2,0,0,9500,9499}')$$);
SELECT pg_temp.error_of($$SELECT kam.purchase_days_final('{1,0,0,9500,7}')$$);
SELECT pg_temp.error_of($$SELECT kam.purchase_days_final('{1,0,0,2147483647}')$$);
-- (the first day after the last finite date, 5874898-01-01, and the one before 4714-11-24 BC)
SELECT pg_temp.error_of($$SELECT kam.purchase_days_final('{1,0,0,2145031949}')$$);
SELECT pg_temp.error_of($$SELECT kam.purchase_days_final('{1,0,0,-2451546}')$$);
SELECT (kam.purchase_days_final('{2,0,0,-2451545,2145031948}')).first_day,
       (kam.purchase_days_final('{2,0,0,-2451545,2145031948}')).last_day;
SELECT pg_temp.error_of($$SELECT kam.purchase_days_final('{0,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.purchase_days_final('{0,0,NULL}')$$);
SELECT pg_temp.error_of($$SELECT kam.purchase_days_final('{{0,0,0}}')$$);
SELECT pg_temp.error_of($$SELECT kam.purchase_days_accum('{0,0,0}', 'infinity', 1)$$);
SELECT pg_temp.error_of($$SELECT kam.purchase_days_accum('{1,9223372036854775807,9223372036854775807,9499}', '2026-01-04', 1)$$);
SELECT pg_temp.error_of($$SELECT kam.purchase_days_combine('{1,9223372036854775807,9223372036854775807,9499}', '{1,1,1,9500}')$$);
SELECT pg_temp.error_of($$SELECT kam.purchase_days_final('{2,-9223372036854775807,9223372036854775807,9499,9500}')$$);
-- one day whose sums differ is no state the aggregate reaches
SELECT pg_temp.error_of($$SELECT kam.purchase_days_final('{1,10,3,9499}')$$);
SELECT pg_temp.error_of($$SELECT kam.purchase_days_accum('{1,10,3,9499}', '2026-01-04', 1)$$);
-- a user's aggregate over kam's functions with a hand-made start state: the
-- first order checks the whole state (days out of order: 2026-01-05 then
-- 2026-01-01), later orders only its header
CREATE AGGREGATE pg_temp.days_from_bad_start(date, bigint) (
    sfunc = kam.purchase_days_accum, stype = bigint[], finalfunc = kam.purchase_days_final,
    initcond = '{2,0,0,9500,9496,-9223372036854775808}');
SELECT pg_temp.error_of($$SELECT pg_temp.days_from_bad_start(d, 1)
                          FROM (VALUES (date '2026-01-03'), (date '2026-01-04')) AS o(d)$$);
SELECT pg_temp.error_of($$SELECT kam.purchase_days_accum('{2,0,0,9500,9496,-9223372036854775808}', '2026-01-04', 1)$$);

-- the fits' state functions check a state that is not yet their own whole
-- (called directly, or a user's initial condition), whichever row comes
SELECT pg_temp.error_of($$SELECT kam.gammagamma_accum('{NaN,Infinity,-Infinity}', 0, 5)$$);
SELECT pg_temp.error_of($$SELECT kam.gammagamma_accum('{0,1.5,3}', 2, 5)$$);
SELECT pg_temp.error_of($$SELECT kam.bgnbd_accum('{1,3,2,1}', 0, 0, 5)$$);
CREATE AGGREGATE pg_temp.gg_from_bad_start(double precision, double precision) (
    sfunc = kam.gammagamma_accum, stype = double precision[], initcond = '{-1}');
SELECT pg_temp.error_of($$SELECT pg_temp.gg_from_bad_start(x, 0) FROM (VALUES (0.0), (0.0)) AS v(x)$$);
-- a repeat customer without spend is counted in the first element
SELECT kam.gammagamma_fit(x, z) IS NULL AS no_fit,
       kam.gammagamma_accum(kam.gammagamma_accum('{0}', 2, 0), 3, 0) AS two_excluded
FROM (VALUES (2.0, 0.0), (0.0, 0.0)) AS v(x, z);

-- results that overflow a double are errors, never Infinity or NaN:
-- p (gamma + x z) / (p x + q - 1) = 1e308 (1e308 + 5) / (1e308 + 89)
SELECT pg_temp.error_of('SELECT kam.gammagamma_expected_spend(1e308, 90, 1e308, 1, 5)');
SELECT pg_temp.error_of('SELECT kam.gammagamma_log_likelihood(5, 1e308, 1, 5, 3000000000)');

-- kam.clv_summary_of by hand: 3 purchase days 2020-01-01 .. 2020-01-15, as
-- of 2020-01-29, weeks: x = 2, t_x = 14 / 7 = 2, T = 28 / 7 = 4, mean value
-- of the repeat days 60 / 2 = 30; no purchase days: one row of NULLs
SELECT * FROM kam.clv_summary_of(ROW(3, '2020-01-01', '2020-01-15', 100, 60)::kam.purchase_days_result, '2020-01-29', 7);
SELECT * FROM kam.clv_summary_of(NULL, '2020-01-29', 7);
-- values kam.purchase_days cannot return are refused
SELECT pg_temp.error_of($$SELECT * FROM kam.clv_summary_of(ROW(3, '2020-01-01', '2020-01-15', 100, 'NaN')::kam.purchase_days_result, '2020-01-29', 7)$$);
SELECT pg_temp.error_of($$SELECT * FROM kam.clv_summary_of(ROW(5, '2020-06-30', '2020-06-30', 1, 0)::kam.purchase_days_result, '2020-06-30', 7)$$);
SELECT pg_temp.error_of($$SELECT * FROM kam.clv_summary_of(ROW(3, '2020-01-01', '2020-01-15', 100, 60)::kam.purchase_days_result, '2020-01-10', 7)$$);
SELECT pg_temp.error_of($$SELECT * FROM kam.clv_summary_of(ROW(20, '2020-01-01', '2020-01-15', 100, 60)::kam.purchase_days_result, '2020-01-29', 7)$$);
SELECT pg_temp.error_of($$SELECT mean_value FROM kam.clv_summary_of(ROW(0, '2020-01-01', '2020-01-01', 0, 0)::kam.purchase_days_result, '2020-01-29', 7)$$);

DELETE FROM kam.clv_model;
DELETE FROM kam.sales_order WHERE account_id > 100000;
DELETE FROM kam.account WHERE account_id > 100000;

-- kam.clv_scores without a model (or without a customer) scores nothing:
-- every score NULL, the churn band too (not 'low')
SELECT * FROM kam.clv_scores(NULL, 1, 1, 2, 5);
SELECT * FROM kam.clv_scores(ROW(1, 7, 0.243, 4.414, 0.793, 2.426, NULL, NULL, NULL, 52, 0.002, 1, 0.3, 0.7)::kam.clv_scoring,
                             NULL, NULL, NULL, NULL);
-- a model with a time unit outside (0, 1e6) days is refused
SELECT pg_temp.error_of($$SELECT * FROM kam.clv_scores(ROW(1, 0, 0.243, 4.414, 0.793, 2.426, NULL, NULL, NULL, 52, 0.002, 1, 0.3, 0.7)::kam.clv_scoring, 1, 1, 2, 5)$$);

