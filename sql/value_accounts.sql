-- account_value and account_classification on a small fixture computed by
-- hand, including ties, the ABC boundary, effective-dated rules, user cut
-- points and a user segment map.

\i sql/include/error_of.sql

-- as_of 2026-06-30: the last 12 months are (2025-06-30, 2026-06-30], the
-- 12 before them (2024-06-30, 2025-06-30].
INSERT INTO kam.account (account_id, name, strategic_importance) VALUES
    (1, 'Alpha', 3), (2, 'Beta', 5), (3, 'Gamma', 2), (4, 'Delta', 4),
    (5, 'Epsilon', 3), (6, 'Zeta', 1), (7, 'Eta', 3);
INSERT INTO kam.sales_order (account_id, order_ref, order_date, amount, margin) VALUES
    (1, 'A-1', '2026-06-20', 1000, 300), (1, 'A-2', '2026-05-10', 500, 150),
    (1, 'A-3', '2026-01-15', 500, 150), (1, 'A-4', '2025-03-01', 400, 100),
    (2, 'B-1', '2026-06-20', 300, 90), (2, 'B-2', '2025-12-01', 200, 60), (2, 'B-3', '2025-05-01', 600, 180),
    (3, 'G-1', '2026-03-01', 3000, NULL),
    (4, 'D-1', '2025-09-30', 100, NULL), (4, 'D-2', '2025-08-01', 100, NULL),
    (5, 'E-1', '2024-01-01', 50, NULL),
    (7, 'H-1', '2025-01-10', 250, NULL),
    -- after as_of: ignored
    (1, 'A-5', '2026-07-02', 99999, 0);

-- By hand (account: last order, recency days, orders 12m, revenue 12m):
--   1: 2026-06-20, 10, 3, 2000 (+ 400 prior)   2: 2026-06-20, 10, 2, 500 (+ 600 prior)
--   3: 2026-03-01, 121, 1, 3000                 4: 2025-09-30, 273, 2, 200
--   5: 2024-01-01, 911, 0, 0                    7: 2025-01-10, 536, 0, 0 (+ 250 prior)
--   6: no orders: not scored.
-- n = 6 scored accounts; score = 1 + floor(5 (rank - 1) / 6): ranks 1..6 -> 1, 1, 2, 3, 4, 5.
-- R, by last order ascending: 5 (rank 1), 7 (2), 4 (3), 3 (4), 1 and 2 tied (5):
--   R = 1, 1, 2, 3, 4, 4  (the tie leaves no 5: equal values, equal scores)
-- F, orders: 5 and 7 (0, rank 1), 3 (1, rank 3), 2 and 4 (2, rank 4), 1 (3, rank 6):
--   F5 = 1, F7 = 1, F3 = 2, F2 = F4 = 3, F1 = 5
-- M, revenue: 5 and 7 (0, rank 1), 4 (200, 3), 2 (500, 4), 1 (2000, 5), 3 (3000, 6):
--   M5 = M7 = 1, M4 = 2, M2 = 3, M1 = 4, M3 = 5
-- Segments (R, F): 1 (4, 5) Loyal Customers; 2 (4, 3) Potential Loyalists;
--   3 (3, 2) About To Sleep; 4 (2, 3) At Risk; 5 and 7 (1, 1) Hibernating.
-- ABC on revenue, total 5700: 3 (3000, before 0 -> A), 1 (2000, before .5263 -> A,
--   crosses 80 %: after .8772), 2 (500, before .8772 -> B), 4 (200, before .9649 -> C);
--   5, 6, 7: no revenue -> C.
-- Growth: 1: (2000 - 400) / 400 = 4; 2: (500 - 600) / 600 = -.1667; 7: (0 - 250) / 250 = -1.
-- Retention: ordered in the prior 12 months: 1, 2, 7; of them again in the last 12: 1, 2 -> 2/3.
-- CLV = m r / (1 + i - r), i = 0.10: 1: 600 * (2/3) / (1.1 - 2/3) = 923.08; 2: 150 -> 230.77;
--   3: margin unknown -> NULL; 5, 6, 7: no orders in the last 12 months, margin 0 -> 0.
SELECT account_id, account_name, revenue_12m, revenue_prior_12m, round(revenue_growth::numeric, 4) AS growth,
       margin_12m, orders_12m, orders_total, last_order_date, recency_days, frequency, monetary,
       average_order_value AS aov
FROM kam.account_value_as_of('2026-06-30') ORDER BY account_id;
SELECT account_id, r_score, f_score, m_score, rfm_cell, rfm_segment, abc_basis,
       round(abc_share::numeric, 4) AS share, round(abc_cumulative_share::numeric, 4) AS cumulative, abc_class,
       round(retention_rate::numeric, 4) AS retention, round(clv::numeric, 2) AS clv
FROM kam.account_value_as_of('2026-06-30') ORDER BY account_id;

-- Classification by the default rules (strategic importance in brackets):
-- 1 (3, A) core by rule 1; 2 (5, B) core by rule 2; 3 (2, A) important by rule 3;
-- 4 (4, C) important by rule 4; 5 (3, C), 6 (1, C), 7 (3, C) general by rule 5.
SELECT account_id, strategic_importance, abc_class, round(revenue_share::numeric, 4) AS share,
       class, decided_by, rule_priority, rule_valid_from
FROM kam.account_classification_as_of('2026-06-30') ORDER BY account_id;

-- What the classification reads (kam.account_standing_as_of): the value
-- analysis row for row, with each account's status and importance and its
-- revenue share: revenue_12m over the positive revenues' sum, 5700 (1: 2000
-- / 5700 = .3509, as above); on a day before any order none is positive:
-- NULL shares.
SELECT count(*) AS accounts,
       count(*) FILTER (WHERE ROW(s.account_id, s.account_name, s.as_of, s.revenue_12m, s.revenue_prior_12m, s.revenue_growth, s.margin_12m, s.margin_prior_12m, s.orders_12m, s.orders_total, s.first_order_date, s.last_order_date, s.recency_days, s.frequency, s.monetary, s.average_order_value, s.r_score, s.f_score, s.m_score, s.rfm_cell, s.rfm_segment, s.abc_basis, s.abc_share, s.abc_cumulative_share, s.abc_class, s.retention_rate, s.clv)::text = v::text) AS as_account_value,
       count(*) FILTER (WHERE s.status = a.status AND s.strategic_importance = a.strategic_importance) AS as_account,
       count(*) FILTER (WHERE s.revenue_share = s.revenue_12m / 5700) AS shares_of_5700
FROM kam.account_standing_as_of('2026-06-30') AS s
JOIN kam.account_value_as_of('2026-06-30') AS v USING (account_id)
JOIN kam.account AS a USING (account_id);
SELECT count(*) AS accounts, count(revenue_share) AS with_share FROM kam.account_standing_as_of('2000-01-01');
-- Asked for, each account's purchase days up to as_of from the same pass
-- (what the day's review scores the CLV from), by hand: 1: four days
-- 2025-03-01 .. 2026-06-20, 400 + 500 + 500 + 1000 = 2400, after the first
-- day 2000 (A-5, after as_of, left out); 2: three, 2025-05-01 .. 2026-06-20,
-- 1100, 500; 3: one, 3000, 0; 4: two, 2025-08-01 .. 2025-09-30, 200, 100;
-- 5: one, 50, 0; 6: none (NULL); 7: one, 250, 0.  Not asked: NULL.
SELECT account_id, (purchase_days).* FROM kam.account_standing_as_of('2026-06-30', true) ORDER BY account_id;
SELECT count(purchase_days) AS not_asked FROM kam.account_standing_as_of('2026-06-30');
SELECT count(*) AS accounts, count(purchase_days) AS with_days
FROM kam.classified_accounts_as_of('2026-06-30', true);

-- A rule set of the user's from 2026-07-01: before that date the default
-- still applies (old evaluations stay reproducible); from it, the new one.
INSERT INTO kam.classification_rule (valid_from, priority, class, abc_classes, min_revenue_share, description) VALUES
    ('2026-07-01', 10, 'core', '{A}', NULL, 'A accounts'),
    ('2026-07-01', 20, 'important', NULL, 0.05, 'at least 5 % of revenue'),
    ('2026-07-01', 30, 'general', NULL, NULL, 'the rest');
-- as of 2026-07-01 the windows move by a day; no order enters or leaves:
-- 1 and 3 core (A); 2: 500 / 5700 = .0877 >= .05: important; 4: .0351: general
SELECT account_id, class, decided_by, rule_valid_from
FROM kam.account_classification_as_of('2026-07-01') ORDER BY account_id;
SELECT count(*) FILTER (WHERE rule_valid_from IS NULL) AS by_default
FROM kam.account_classification_as_of('2026-06-30');
-- a rule set that leaves accounts unmatched says so
INSERT INTO kam.classification_rule (valid_from, priority, class, abc_classes, description) VALUES
    ('2026-08-01', 1, 'core', '{A}', 'only A accounts are classified');
SELECT account_id, class, decided_by FROM kam.account_classification_as_of('2026-08-01') ORDER BY account_id;

-- ABC on margin from 2026-07-01, cut-offs 0.5 / 0.9: margins known for 1 (600) and 2 (150):
-- 1: before 0 -> A; 2: before 600 / 750 = .8 -> B (< .9); 3, 4: margin unknown -> class unknown
INSERT INTO kam.abc_rule (valid_from, a_cutoff, b_cutoff, basis) VALUES ('2026-07-01', 0.5, 0.9, 'margin');
SELECT account_id, abc_basis, round(abc_share::numeric, 4) AS share, abc_class
FROM kam.account_value_as_of('2026-07-01') ORDER BY account_id;
SELECT DISTINCT abc_basis FROM kam.account_value_as_of('2026-06-30');

-- Ties in ABC are broken by account id: two accounts of equal revenue,
-- 50 % each, cut-offs 0.4 / 0.9: the lower id (5) comes first (before 0:
-- A), the other (6) second (before .5 >= .4: B).
BEGIN;
DELETE FROM kam.abc_rule;
INSERT INTO kam.abc_rule (valid_from, a_cutoff, b_cutoff) VALUES ('2000-01-01', 0.4, 0.9);
CREATE TEMP TABLE hidden AS SELECT * FROM kam.sales_order;
DELETE FROM kam.sales_order;
INSERT INTO kam.sales_order (account_id, order_date, amount) VALUES (6, '2026-06-01', 100), (5, '2026-06-01', 100);
SELECT account_id, round(abc_cumulative_share::numeric, 2) AS cumulative, abc_class
FROM kam.account_value_as_of('2026-06-30') WHERE account_id IN (5, 6) ORDER BY account_id;
ROLLBACK;

-- User cut points for recency from 2026-01-01 (days: < 30 -> 5, < 90 -> 4,
-- < 180 -> 3, < 365 -> 2, else 1): 1 and 2 (10 days) R5; 3 (121) R3;
-- 4 (273) R2; 5 (911), 7 (536) R1.  1 is then (R5, F5): Champions.
INSERT INTO kam.rfm_cut (dimension, valid_from, cuts) VALUES ('recency', '2026-01-01', '{30,90,180,365}');
SELECT account_id, recency_days, r_score, rfm_segment
FROM kam.account_value_as_of('2026-06-30') WHERE r_score IS NOT NULL ORDER BY account_id;
SELECT pg_temp.error_of($$INSERT INTO kam.rfm_cut (dimension, valid_from, cuts) VALUES ('frequency', '2026-01-01', '{5,4,3,2}')$$);
SELECT pg_temp.error_of($$INSERT INTO kam.rfm_cut (dimension, valid_from, cuts) VALUES ('frequency', '2026-01-01', '{1,2,3}')$$);

-- A user segment map from 2026-06-01: first matching row by priority wins.
INSERT INTO kam.rfm_segment_rule (valid_from, priority, segment, r_min, f_min) VALUES
    ('2026-06-01', 1, 'Top', 4, 4),
    ('2026-06-01', 2, 'Rest', 1, 1);
SELECT account_id, rfm_cell, rfm_segment FROM kam.account_value_as_of('2026-06-30')
WHERE r_score IS NOT NULL ORDER BY account_id;
-- ... but as of 2026-05-31 the built-in grid still applies
SELECT account_id, rfm_segment FROM kam.account_value_as_of('2026-05-31') WHERE account_id = 1;
-- a map that does not cover a cell is an error, not a silent NULL
INSERT INTO kam.rfm_segment_rule (valid_from, priority, segment, r_min, f_min) VALUES ('2026-06-15', 1, 'Top only', 4, 4);
SELECT regexp_replace(pg_temp.error_of($$SELECT * FROM kam.account_value_as_of('2026-06-30')$$),
                      'R \d F \d M \d', 'R _ F _ M _') AS error;
DELETE FROM kam.rfm_segment_rule WHERE valid_from = '2026-06-15';

-- Other currencies are converted at the rate in force on the order date.
SELECT pg_temp.error_of($$INSERT INTO kam.sales_order (account_id, order_date, amount, currency) VALUES (6, '2026-06-01', 100, 'eur')$$);
INSERT INTO kam.sales_order (account_id, order_ref, order_date, amount, currency) VALUES (6, 'Z-1', '2026-06-01', 100, 'EUR');
SELECT pg_temp.error_of($$SELECT * FROM kam.account_value_as_of('2026-06-30')$$);
INSERT INTO kam.exchange_rate (currency, valid_from, rate) VALUES ('EUR', '2026-01-01', 1.10), ('EUR', '2026-06-02', 2.00);
-- 100 EUR * 1.10 (the rate of 2026-01-01; the one of 2026-06-02 is later) = 110 USD
SELECT account_id, revenue_12m FROM kam.account_value_as_of('2026-06-30') WHERE account_id = 6;
INSERT INTO kam.setting (name, valid_from, value) VALUES ('reporting_currency', '2026-01-01', 'EUR');
SELECT pg_temp.error_of($$SELECT * FROM kam.account_value_as_of('2026-06-30')$$);
DELETE FROM kam.setting;
DELETE FROM kam.sales_order WHERE order_ref = 'Z-1';

-- Constraints keep the data clean.
SELECT pg_temp.error_of($$INSERT INTO kam.sales_order (account_id, order_date, amount) VALUES (1, '2026-01-01', 'NaN')$$);
SELECT pg_temp.error_of($$INSERT INTO kam.sales_order (account_id, order_date, amount) VALUES (1, '2026-01-01', 'Infinity')$$);
SELECT pg_temp.error_of($$INSERT INTO kam.sales_order (account_id, order_date, amount) VALUES (1, 'infinity', 1)$$);
SELECT pg_temp.error_of($$INSERT INTO kam.sales_order (account_id, order_date, amount) VALUES (1, '1899-12-31', 1)$$);
SELECT pg_temp.error_of($$INSERT INTO kam.sales_order (account_id, order_date, amount) VALUES (99, '2026-01-01', 1)$$);
SELECT pg_temp.error_of($$INSERT INTO kam.sales_order (account_id, order_ref, order_date, amount) VALUES (1, 'A-1', '2026-01-01', 1)$$);
SELECT pg_temp.error_of($$INSERT INTO kam.account (name) VALUES ('  ')$$);
SELECT pg_temp.error_of($$INSERT INTO kam.account (name, strategic_importance) VALUES ('X', 6)$$);
SELECT pg_temp.error_of($$INSERT INTO kam.account (name, status) VALUES ('X', 'gone')$$);
SELECT pg_temp.error_of($$UPDATE kam.account SET parent_account_id = 1 WHERE account_id = 1$$);
UPDATE kam.account SET parent_account_id = 1 WHERE account_id = 2;
UPDATE kam.account SET parent_account_id = 2 WHERE account_id = 3;
SELECT pg_temp.error_of($$UPDATE kam.account SET parent_account_id = 3 WHERE account_id = 1$$);
UPDATE kam.account SET parent_account_id = NULL;
SELECT pg_temp.error_of($$DELETE FROM kam.account WHERE account_id = 1$$);
SELECT pg_temp.error_of($$INSERT INTO kam.contact (account_id, name, buying_roles) VALUES (1, 'Ann', '{decider,boss}')$$);
SELECT pg_temp.error_of($$INSERT INTO kam.contact (account_id, name, email) VALUES (1, 'Ann', 'not an email')$$);
INSERT INTO kam.contact (contact_id, account_id, name, buying_roles) VALUES (1, 1, 'Ann', '{decider,champion}');
SELECT pg_temp.error_of($$INSERT INTO kam.survey_response (account_id, contact_id, responded_on, kind, score) VALUES (2, 1, '2026-01-01', 'nps', 9)$$);
SELECT pg_temp.error_of($$INSERT INTO kam.survey_response (account_id, responded_on, kind, score) VALUES (1, '2026-01-01', 'csat', 6)$$);
SELECT pg_temp.error_of($$INSERT INTO kam.survey_response (account_id, responded_on, kind, score) VALUES (1, '2026-01-01', 'nps', 11)$$);
SELECT pg_temp.error_of($$INSERT INTO kam.survey_response (account_id, responded_on, kind, score) VALUES (1, '2026-01-01', 'ces', 0)$$);
SELECT pg_temp.error_of($$INSERT INTO kam.abc_rule (valid_from, a_cutoff, b_cutoff) VALUES ('2030-01-01', 0.9, 0.8)$$);
SELECT pg_temp.error_of($$INSERT INTO kam.setting (name, valid_from, value) VALUES ('clv_discount_rate', '2030-01-01', 'ten')$$);
SELECT pg_temp.error_of($$INSERT INTO kam.setting (name, valid_from, value) VALUES ('colour', '2030-01-01', 'red')$$);
SELECT pg_temp.error_of($$INSERT INTO kam.account_team (account_id, member, team_role) VALUES (1, 'postgres', 'boss')$$);

-- The survey aggregates read the survey table.
INSERT INTO kam.survey_response (account_id, contact_id, responded_on, kind, score) VALUES
    (1, 1, '2026-06-01', 'nps', 10), (1, NULL, '2026-06-02', 'nps', 3), (1, NULL, '2026-06-03', 'csat', 5);
SELECT account_id, kam.nps(score) FILTER (WHERE kind = 'nps') AS nps,
       kam.csat(score) FILTER (WHERE kind = 'csat') AS csat
FROM kam.survey_response GROUP BY account_id;

-- The views are the functions at current_date.
SELECT count(*) = (SELECT count(*) FROM kam.account) AS one_row_per_account,
       bool_and(as_of = current_date) AS today
FROM kam.account_value;
SELECT count(*) = (SELECT count(*) FROM kam.account) AS one_row_per_account FROM kam.account_classification;

-- The order summary aggregate behind account_value, on account 1's orders
-- as of 2026-06-30 (the order of 2026-07-02 comes after and is ignored):
-- first 2025-03-01, last 2026-06-20, 4 orders, 3 in the last 12 months
-- (2000, margin 600), 1 in the 12 before (400, margin 100)
SELECT (kam.order_summary(order_date, amount_units, margin_units, '2026-06-30')).*
FROM kam.sales_order WHERE account_id = 1;
-- a missing margin makes its window's margin unknown: account 3
SELECT margin_12m IS NULL AS unknown, revenue_12m
FROM (SELECT (kam.order_summary(order_date, amount_units, margin_units, '2026-06-30')).*
      FROM kam.sales_order WHERE account_id = 3) AS t;
-- no rows: NULL
SELECT kam.order_summary(order_date, amount_units, margin_units, '2026-06-30') IS NULL AS empty
FROM kam.sales_order WHERE false;
-- the state, the combine and the final function called directly
SELECT kam.order_summary_accum(
    '{-9223372036854775808,-9223372036854775808,-9223372036854775808,-9223372036854775808,-9223372036854775808,0,0,0,0,0,0,0,0,0}',
    '2026-06-01', 15000, NULL, '2026-06-30');
SELECT pg_temp.error_of($$SELECT kam.order_summary_accum('{0,0,0}', '2026-06-01', 1, 1, '2026-06-30')$$);
SELECT pg_temp.error_of($$SELECT kam.order_summary_accum(NULL, '2026-06-01', 1, 1, '2026-06-30')$$);
SELECT pg_temp.error_of($$SELECT kam.order_summary_accum(
    '{-9223372036854775808,-9223372036854775808,-9223372036854775808,-9223372036854775808,-9223372036854775808,0,0,0,0,0,0,0,0,0}',
    '2026-06-01', 1, 1, NULL)$$);
SELECT pg_temp.error_of($$SELECT kam.order_summary_accum(
    '{-9223372036854775808,-9223372036854775808,-9223372036854775808,-9223372036854775808,-9223372036854775808,0,0,0,0,0,0,0,0,0}',
    '2026-06-01', 1, 1, 'infinity')$$);
SELECT pg_temp.error_of($$SELECT kam.order_summary(order_date, amount_units, margin_units, order_date) FROM kam.sales_order WHERE account_id = 1$$);
-- (9677 = 2026-06-30, 9312 and 8947 a year and two before, 9648 = 2026-06-01)
SELECT * FROM kam.order_summary_final('{9677,9312,8947,9648,9648,1,1,0,15000,0,0,0,1,0}');
-- inconsistent states: first order after the last, more orders in a window
-- than in all, last order after as_of, windows not a year apart in order
SELECT pg_temp.error_of($$SELECT kam.order_summary_final('{9677,9312,8947,9648,9600,1,1,0,0,0,0,0,0,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.order_summary_final('{9677,9312,8947,9648,9648,1,2,0,0,0,0,0,0,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.order_summary_final('{9677,9312,8947,9648,9700,1,1,0,0,0,0,0,0,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.order_summary_final('{9677,8947,9312,9648,9648,1,1,0,0,0,0,0,0,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.order_summary_final('{9677,9300,8947,9648,9648,1,1,0,0,0,0,0,0,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.order_summary_final('{9677,9312,8947,9648,9648,1,1,0,0,0,0,0,5,0}')$$);
SELECT pg_temp.error_of($$SELECT kam.order_summary_combine('{9677,9312,8947,9648,9648,1,1,0,0,0,0,0,0,0}', '{9678,9313,8948,9648,9648,1,1,0,0,0,0,0,0,0}')$$);
-- the state function checks the state it is given (the bad-input matrix
-- found one that claims 2000-01-01 with windows of another day: all zeros),
-- and one whose counts disagree
SELECT pg_temp.error_of($$SELECT kam.order_summary_accum(array_fill(0::bigint, ARRAY[14]), '4714-11-24 BC', 5, NULL, '2000-01-01')$$);
SELECT pg_temp.error_of($$SELECT kam.order_summary_accum('{9677,9312,8947,9648,9648,1,2,0,0,0,0,0,0,0}', '2026-06-01', 1, 1, '2026-06-30')$$);
-- sums that would overflow
SELECT pg_temp.error_of($$SELECT kam.order_summary_accum('{9677,9312,8947,9648,9648,1,1,0,9223372036854775807,0,0,0,0,0}', '2026-06-01', 1, 1, '2026-06-30')$$);
SELECT pg_temp.error_of($$SELECT kam.order_summary_combine('{9677,9312,8947,9648,9648,1,1,0,9223372036854775807,0,0,0,0,0}', '{9677,9312,8947,9648,9648,1,1,0,1,0,0,0,0,0}')$$);
-- in a parallel plan the result equals the serial one
SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET force_parallel_mode = on;
CREATE TEMP TABLE parallel_totals AS
SELECT account_id, kam.order_summary(order_date, amount_units, margin_units, '2026-06-30') AS t
FROM kam.sales_order GROUP BY account_id;
RESET max_parallel_workers_per_gather; RESET parallel_setup_cost; RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size; RESET force_parallel_mode;
SELECT count(*) AS accounts, count(*) FILTER (WHERE p.t = s.t) AS equal
FROM parallel_totals AS p
JOIN (SELECT account_id, kam.order_summary(order_date, amount_units, margin_units, '2026-06-30') AS t
      FROM kam.sales_order GROUP BY account_id) AS s USING (account_id);
