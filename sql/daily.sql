-- Daily management, part one: contact cadence, needs and service quality on
-- a fixture worked out by hand (as of 2026-06-30, time zone PST8PDT).

\i sql/include/error_of.sql

-- 401 core (strategic importance 5), 402 important (4, no revenue: C),
-- 403 general (1); contact plan core 14 days, important 30, general 90
INSERT INTO kam.account (account_id, name, strategic_importance) VALUES
    (401, 'Daily core', 5), (402, 'Daily important', 4), (403, 'Daily general', 1);
INSERT INTO kam.interaction (account_id, internal_person, occurred_at, channel, direction) VALUES
    (401, 'ann', '2026-06-10', 'meeting', 'two_way'),
    (401, 'ann', '2026-06-28', 'email', 'outbound'),     -- not two-way: does not count
    (402, 'bob', '2026-06-05', 'phone', 'two_way'),
    (402, 'bob', '2026-07-02', 'phone', 'two_way');      -- after as_of

-- 401: last two-way 06-10, 20 days, due 06-10 + 14 = 06-24, 6 days overdue;
-- 402: 06-05, 25 days, due 07-05, within 7 days: due soon; 403: never.
SELECT account_id, class, last_two_way_contact::date AS last, days_since, allowed_days, due_date, days_overdue, status
FROM kam.contact_cadence_as_of('2026-06-30') WHERE account_id > 400 ORDER BY account_id;
-- from 2026-06-01 core accounts may wait 30 days: 401 due 07-10, ok; before that date the old plan
INSERT INTO kam.contact_plan (class, valid_from, max_days) VALUES ('core', '2026-06-01', 30);
SELECT account_id, allowed_days, due_date, days_overdue, status
FROM kam.contact_cadence_as_of('2026-06-30') WHERE account_id = 401;
SELECT account_id, allowed_days FROM kam.contact_cadence_as_of('2026-05-31') WHERE account_id = 401;
DELETE FROM kam.contact_plan;

-- Needs of 401: open n1 (high, 06-01: 29 days) and n5 (critical, 06-20: 10 days);
-- met n2 (10 days) and n3 (30 days), declined n4; n6 raised after as_of.
-- Open 2, high or critical 2, oldest 29; resolved 3, met 2/3, median days to meet (10, 30) = 20.
INSERT INTO kam.need (account_id, raised_on, title, priority, status, resolved_on) VALUES
    (401, '2026-06-01', 'n1 faster delivery', 'high', 'open', NULL),
    (401, '2026-03-01', 'n2 invoice format', 'low', 'met', '2026-03-11'),
    (401, '2026-04-01', 'n3 training', 'medium', 'met', '2026-05-01'),
    (401, '2026-05-01', 'n4 discount', 'medium', 'declined', '2026-05-05'),
    (401, '2026-06-20', 'n5 outage', 'critical', 'in_progress', NULL),
    (401, '2026-07-05', 'n6 later', 'low', 'open', NULL);
SELECT account_id, open_needs, open_high_priority, oldest_open_days, needs_resolved,
       round(share_met::numeric, 4) AS share_met, median_days_to_meet
FROM kam.needs_status_as_of('2026-06-30') WHERE account_id > 400 ORDER BY account_id;
SELECT title, priority, status, age_days FROM kam.open_needs_as_of('2026-06-30') WHERE account_id = 401;
-- as of 2026-03-05 n2 was still open
SELECT title, age_days FROM kam.open_needs_as_of('2026-03-05') WHERE account_id = 401;
SELECT pg_temp.error_of($$INSERT INTO kam.need (account_id, raised_on, title, status) VALUES (401, '2026-01-01', 'x', 'met')$$);
SELECT pg_temp.error_of($$INSERT INTO kam.need (account_id, raised_on, title, status, resolved_on) VALUES (401, '2026-01-01', 'x', 'open', '2026-01-02')$$);
SELECT pg_temp.error_of($$INSERT INTO kam.need (account_id, raised_on, title, status, resolved_on) VALUES (401, '2026-01-05', 'x', 'met', '2026-01-02')$$);
SELECT pg_temp.error_of($$INSERT INTO kam.need (account_id, raised_on, title, priority) VALUES (401, '2026-01-01', 'x', 'urgent')$$);

-- Service cases of 401 (core; default targets: critical 1 h / 8 h, high 4 / 24,
-- medium 8 / 72, low 24 / 168):
-- June: c1 high, 1 h, 12 h (within); c2 critical, 2 h (late), 6 h; c3 medium, 1 h, open.
--   first response [1, 1, 2]: median 1, 90th percentile 1 + .8 * 1 = 1.8;
--   resolution [6, 12]: median 9, 90th 6 + .9 * 6 = 11.4; within target 1 of 2 resolved = .5
-- May: c4 low, 3 h, 24 h: within.
INSERT INTO kam.service_case (account_id, opened_at, first_response_at, resolved_at, severity) VALUES
    (401, '2026-06-01 09:00', '2026-06-01 10:00', '2026-06-01 21:00', 'high'),
    (401, '2026-06-02 09:00', '2026-06-02 11:00', '2026-06-02 15:00', 'critical'),
    (401, '2026-06-03 09:00', '2026-06-03 10:00', NULL, 'medium'),
    (401, '2026-05-15 09:00', '2026-05-15 12:00', '2026-05-16 09:00', 'low');
SELECT account_id, period, cases, median_first_response_hours, p90_first_response_hours,
       median_resolution_hours, round(p90_resolution_hours::numeric, 4) AS p90_resolution, share_within_target
FROM kam.service_quality_as_of('2026-06-30') WHERE account_id > 400 ORDER BY account_id, period;
-- a target for critical cases of core accounts from 2026-06-02 (first response 4 h): c2 is then within
INSERT INTO kam.service_target (severity, class, valid_from, first_response_hours, resolution_hours)
VALUES ('critical', 'core', '2026-06-02', 4, 8);
SELECT period, share_within_target FROM kam.service_quality_as_of('2026-06-30') WHERE account_id = 401 ORDER BY period;
-- the review's service-level KPI looks the targets up once per severity,
-- class and day opened: of the three resolved cases c1, c2, c4 all are
-- within target now (3/3 = 1), 2/3 by kam's defaults
SELECT kpi, round(value::numeric, 4) AS value FROM kam.kpi_values_as_of('2026-06-30')
WHERE account_id = 401 AND kpi = 'service_level_share';
-- ... but not for a case opened before that date: targets are those in force at opening
UPDATE kam.service_target SET valid_from = '2026-06-03';
SELECT period, share_within_target FROM kam.service_quality_as_of('2026-06-30') WHERE account_id = 401 ORDER BY period;
SELECT kpi, round(value::numeric, 4) AS value FROM kam.kpi_values_as_of('2026-06-30')
WHERE account_id = 401 AND kpi = 'service_level_share';
DELETE FROM kam.service_target;
-- as of 2026-06-01 at midnight's end: c1 answered and resolved that day; later cases not yet opened
SELECT period, cases, median_resolution_hours FROM kam.service_quality_as_of('2026-06-01') WHERE account_id = 401 ORDER BY period;
SELECT pg_temp.error_of($$INSERT INTO kam.service_case (account_id, opened_at, first_response_at) VALUES (401, '2026-06-01 10:00', '2026-06-01 09:00')$$);
SELECT pg_temp.error_of($$INSERT INTO kam.service_target (severity, class, valid_from, first_response_hours, resolution_hours) VALUES ('high', 'core', '2026-01-01', 0, 8)$$);

DELETE FROM kam.service_case WHERE account_id > 400;
DELETE FROM kam.need WHERE account_id > 400;
DELETE FROM kam.interaction WHERE account_id > 400;
DELETE FROM kam.account WHERE account_id > 400;

-- Lifecycle stages on 2026-06-30, the first rule that holds deciding:
-- 501 status lost -> lost; 502 no order -> prospect; 503 last order 2024-01-01
-- (911 days) -> lost; 504 first order 2026-02-01 -> new; 505 orders only in the
-- prior 12 months -> at risk; 506 1000 -> 800 (-20 %) declining; 507 1000 -> 1200
-- (+20 %) growing; 508 1000 -> 1050 (+5 %) mature.
INSERT INTO kam.account (account_id, name, status) VALUES
    (501, 'Lost by status', 'lost'), (502, 'Prospect', 'prospect'), (503, 'Gone quiet', 'active'),
    (504, 'Newcomer', 'active'), (505, 'Silent this year', 'active'), (506, 'Declining', 'active'),
    (507, 'Growing', 'active'), (508, 'Mature', 'active');
INSERT INTO kam.sales_order (account_id, order_date, amount) VALUES
    (501, '2026-05-01', 100), (503, '2024-01-01', 100), (504, '2026-02-01', 100),
    (505, '2025-03-01', 100), (506, '2025-03-01', 1000), (506, '2026-03-01', 800),
    (507, '2025-03-01', 1000), (507, '2026-03-01', 1200), (508, '2025-03-01', 1000), (508, '2026-03-01', 1050);
SELECT account_id, stage, reason FROM kam.account_lifecycle_as_of('2026-06-30')
WHERE account_id BETWEEN 501 AND 508 ORDER BY account_id;
DELETE FROM kam.sales_order WHERE account_id BETWEEN 501 AND 508;
DELETE FROM kam.account WHERE account_id BETWEEN 501 AND 508;
-- the rules directly (kam.lifecycle_for): lost by status before no order;
-- churn risk high (rule 6) before a decline; unknown figures hold no rule:
-- mature
SELECT v.case_name, l.stage, l.reason
FROM (VALUES ('lost, no order', 'lost', 0, NULL::integer, NULL::date, 0, NULL, NULL::double precision),
             ('no order', 'active', 0, NULL, NULL, 0, NULL, NULL),
             ('churn high, declining', 'active', 9, 30, date '2020-01-01', 3, 'high', -0.5),
             ('declining', 'active', 9, 30, date '2020-01-01', 3, 'low', -0.5),
             ('growth unknown', 'active', 9, 30, date '2020-01-01', 3, 'low', NULL),
             ('all unknown', NULL, NULL, NULL, NULL, NULL, NULL, NULL))
     AS v(case_name, status, orders_total, recency_days, first_order_date, orders_12m, churn_risk, revenue_growth)
CROSS JOIN LATERAL kam.lifecycle_for(v.status, v.orders_total, v.recency_days, v.first_order_date, v.orders_12m,
                                     v.churn_risk, v.revenue_growth, '2026-06-30') AS l
ORDER BY v.case_name;

-- KPIs of 601 (strategic importance 5: core) over the 12 months to 2026-06-30,
-- default thresholds (target / warning / critical, higher is better):
-- sales growth (1040 - 1000) / 1000 = .04: below .05, at least 0: amber;
-- NPS of {10, 10, 9, 7, 3} = 100 (3 - 1) / 5 = 40 >= 30: green; a year before
-- {0}: -100, change 140; CSAT of {5, 4, 2} = 66.67: below 70, at least 60: red,
-- not critical; service level: 1 case answered in 1 h, resolved in 3 h (high:
-- 4 h / 24 h): 1 >= .95 green; no assessment: relationship index NULL, no status.
INSERT INTO kam.account (account_id, name, strategic_importance) VALUES (601, 'KPI core', 5);
INSERT INTO kam.sales_order (account_id, order_date, amount) VALUES (601, '2025-03-01', 1000), (601, '2026-03-01', 1040);
INSERT INTO kam.survey_response (account_id, responded_on, kind, score) VALUES
    (601, '2026-05-01', 'nps', 10), (601, '2026-05-02', 'nps', 10), (601, '2026-05-03', 'nps', 9),
    (601, '2026-05-04', 'nps', 7), (601, '2026-05-05', 'nps', 3), (601, '2025-05-01', 'nps', 0),
    (601, '2026-05-01', 'csat', 5), (601, '2026-05-02', 'csat', 4), (601, '2026-05-03', 'csat', 2);
INSERT INTO kam.service_case (account_id, opened_at, first_response_at, resolved_at, severity) VALUES
    (601, '2026-06-01 09:00', '2026-06-01 10:00', '2026-06-01 12:00', 'high');
SELECT kpi, class, round(value::numeric, 4) AS value, target, warning, critical, status, is_critical,
       round(previous_value::numeric, 4) AS previous, round(change::numeric, 4) AS change, threshold_valid_from
FROM kam.account_kpi_as_of('2026-06-30')
WHERE account_id = 601 AND kpi IN ('sales_growth', 'nps', 'csat', 'service_level_share', 'relationship_index')
ORDER BY kpi;
-- a CSAT threshold for core accounts from 2026-06-01 (60 / 50 / 40): green from that
-- day; the evaluation as of 2026-05-31 keeps the default (and is reproducible)
INSERT INTO kam.kpi_threshold (kpi, class, valid_from, target, warning, critical) VALUES ('csat', 'core', '2026-06-01', 60, 50, 40);
SELECT status, target, threshold_valid_from FROM kam.account_kpi_as_of('2026-06-30') WHERE account_id = 601 AND kpi = 'csat';
SELECT status, target, threshold_valid_from FROM kam.account_kpi_as_of('2026-05-31') WHERE account_id = 601 AND kpi = 'csat';
-- lower-is-better thresholds work the other way round
SELECT pg_temp.error_of($$INSERT INTO kam.kpi_threshold (kpi, class, valid_from, target, warning, critical) VALUES ('nps', 'any', '2026-01-01', 10, 20, 30)$$);
INSERT INTO kam.kpi_threshold (kpi, class, valid_from, target, warning, critical, higher_is_better) VALUES ('nps', 'any', '2026-01-01', 10, 20, 50, false);
SELECT status, is_critical FROM kam.account_kpi_as_of('2026-06-30') WHERE account_id = 601 AND kpi = 'nps';
DELETE FROM kam.kpi_threshold;
DELETE FROM kam.service_case WHERE account_id = 601;
DELETE FROM kam.survey_response WHERE account_id = 601;
DELETE FROM kam.sales_order WHERE account_id = 601;
DELETE FROM kam.account WHERE account_id = 601;

-- Alerts on 2026-06-30 (defaults: detractor follow-up 7 days, high-priority need
-- 30 days, index drop 10 points).  Expected to fire:
--   701 (core): single-threaded (only Ivy engaged); service target missed (high
--       case answered after 6 h, target 4 h); KPIs in red: decision-chain coverage
--       3/9 (amber zone no: below .5, above the critical .3: medium), NPS -100 (its
--       one answer, 4, is a detractor; critical: high), service level 0 (critical).
--   702 (core): overdue for contact (last two-way 06-01; due 06-15; 15 days);
--       detractor (NPS 3 on 06-10, no two-way contact by 06-17); high need open 60
--       days; KPIs NPS -100 and coverage 0 red (critical: high).
--   703 (general): relationship index 100 -> 0; KPIs index 0, coverage 0, NPS -100.
--   704: churn risk high (ten weekly orders early 2025, then nothing); KPIs
--       P(alive) ~0, sales growth -100 %, coverage 0.
-- Expected not to fire: 701's detractor (NPS 4 on 06-15, two-way contact 06-20),
-- 703's detractor (NPS 2 on 06-27, deadline not reached), 701's young high need
-- (20 days), 702's case within its targets, 701's contact cadence (10 days).
INSERT INTO kam.account (account_id, name, strategic_importance) VALUES
    (701, 'Alert one', 5), (702, 'Alert two', 5), (703, 'Alert three', 1), (704, 'Alert four', 1);
INSERT INTO kam.contact (contact_id, account_id, name, buying_roles) VALUES (7001, 701, 'Ivy', '{decider}');
INSERT INTO kam.interaction (account_id, contact_id, internal_person, occurred_at, channel, direction) VALUES
    (701, 7001, 'ann', '2026-06-20', 'meeting', 'two_way'),
    (702, NULL, 'bob', '2026-06-01', 'phone', 'two_way');
INSERT INTO kam.survey_response (account_id, responded_on, kind, score) VALUES
    (702, '2026-06-10', 'nps', 3), (701, '2026-06-15', 'nps', 4), (703, '2026-06-27', 'nps', 2);
INSERT INTO kam.need (account_id, raised_on, title, priority) VALUES
    (702, '2026-05-01', 'pricing review', 'high'), (701, '2026-06-10', 'new catalogue', 'high');
INSERT INTO kam.service_case (account_id, opened_at, first_response_at, resolved_at, severity) VALUES
    (701, '2026-06-20 09:00', '2026-06-20 15:00', '2026-06-20 18:00', 'high'),
    (702, '2026-06-21 09:00', '2026-06-21 10:00', '2026-06-21 12:00', 'medium');
INSERT INTO kam.relationship_assessment (account_id, assessed_on, trust) VALUES
    (703, '2025-05-01', '{7}'), (703, '2026-05-01', '{1}');
INSERT INTO kam.sales_order (account_id, order_date, amount)
SELECT 704, date '2025-01-01' + 7 * i, 100 FROM generate_series(0, 9) AS i;
INSERT INTO kam.clv_model (calibrated_to, unit_days, r, alpha, a, b, bgnbd_log_likelihood, bgnbd_converged,
                           customers, repeat_customers)
VALUES ('2026-06-01', 7, 0.243, 4.414, 0.793, 2.426, -9582.4, true, 2357, 946);
SELECT account_id, severity, rule, evidence FROM kam.alerts_as_of('2026-06-30')
WHERE account_id BETWEEN 701 AND 704 ORDER BY account_id, rule, evidence;
-- the 360's count and top alert: high first, then by rule, then by
-- evidence (C collation: upper case first): 701 has three high alerts, two
-- of them 'KPI in red': nps before service_level_share; 702: 'KPI in red'
-- before 'core account ...', decision_chain_coverage before nps; 703 and
-- 704 likewise decision_chain_coverage.  Counts 5, 5, 4, 4 as listed above.
SELECT account_id, alerts, top_alert FROM kam.account_360_as_of('2026-06-30')
WHERE account_id BETWEEN 701 AND 704 ORDER BY account_id;
-- the 360 scores the CLV from the purchase days of the value analysis's
-- pass: the same as kam.account_clv_as_of, which reads the calibration
-- (704: ten weekly orders from 2025-01-01: x = 9, t_x = 9, T = 545 / 7 = 77.857 weeks)
SELECT v.account_id, c.x, c.t_x, round(c."T"::numeric, 4) AS "T",
       v.p_alive = c.p_alive AS same_p_alive, v.churn_risk = c.churn_risk AS same_churn_risk,
       v.predicted_clv IS NOT DISTINCT FROM c.predicted_clv AS same_predicted_clv
FROM kam.account_360_as_of('2026-06-30') AS v JOIN kam.account_clv_as_of('2026-06-30') AS c USING (account_id)
WHERE v.account_id BETWEEN 701 AND 704 ORDER BY v.account_id;
-- the thresholds are settings: with a 30-day follow-up the detractor of 702 is still in time
INSERT INTO kam.setting (name, valid_from, value) VALUES ('detractor_followup_days', '2026-01-01', '30');
SELECT count(*) AS detractor_alerts FROM kam.alerts_as_of('2026-06-30') WHERE rule = 'detractor not followed up' AND account_id BETWEEN 701 AND 704;
DELETE FROM kam.setting;
DELETE FROM kam.clv_model;
DELETE FROM kam.sales_order WHERE account_id BETWEEN 701 AND 704;
DELETE FROM kam.relationship_assessment WHERE account_id BETWEEN 701 AND 704;
DELETE FROM kam.service_case WHERE account_id BETWEEN 701 AND 704;
DELETE FROM kam.need WHERE account_id BETWEEN 701 AND 704;
DELETE FROM kam.survey_response WHERE account_id BETWEEN 701 AND 704;
DELETE FROM kam.interaction WHERE account_id BETWEEN 701 AND 704;
DELETE FROM kam.contact WHERE account_id BETWEEN 701 AND 704;
DELETE FROM kam.account WHERE account_id BETWEEN 701 AND 704;

-- The 360-degree view agrees with the functions it gathers, for every account.
INSERT INTO kam.account (account_id, name, strategic_importance) VALUES (801, 'All-round A', 5), (802, 'All-round B', 2);
INSERT INTO kam.sales_order (account_id, order_date, amount) VALUES (801, '2026-05-01', 500), (802, '2025-05-01', 100);
INSERT INTO kam.interaction (account_id, internal_person, occurred_at, channel, direction) VALUES (801, 'ann', '2026-06-25', 'visit', 'two_way');
INSERT INTO kam.need (account_id, raised_on, title, priority) VALUES (802, '2026-04-01', 'returns process', 'critical');
SELECT count(*) > 0 AS some_accounts,
       count(*) = count(*) FILTER (WHERE x.class IS NOT DISTINCT FROM c.class AND x.lifecycle_stage = l.stage
                          AND x.revenue_12m = v.revenue_12m AND x.abc_class IS NOT DISTINCT FROM v.abc_class
                          AND x.open_needs IS NOT DISTINCT FROM n.open_needs
                          AND x.contact_status IS NOT DISTINCT FROM cd.status) AS all_agree
FROM kam.account_360_as_of('2026-06-30') AS x
JOIN kam.account_classification_as_of('2026-06-30') AS c USING (account_id)
JOIN kam.account_lifecycle_as_of('2026-06-30') AS l USING (account_id)
JOIN kam.account_value_as_of('2026-06-30') AS v USING (account_id)
JOIN kam.needs_status_as_of('2026-06-30') AS n USING (account_id)
JOIN kam.contact_cadence_as_of('2026-06-30') AS cd USING (account_id);
SELECT count(*) = (SELECT count(*) FROM kam.account) AS one_row_per_account FROM kam.account_360_as_of('2026-06-30');
-- Its counts agree with the alerts and the KPI status of the day; the day's
-- review has one account row per account, eight KPI rows per account and
-- the alerts.
SELECT count(*) = count(*) FILTER (WHERE x.alerts = coalesce(a.n, 0) AND x.kpis_red = coalesce(k.red, 0)
                                     AND x.kpis_amber = coalesce(k.amber, 0)) AS counts_agree
FROM kam.account_360_as_of('2026-06-30') AS x
LEFT JOIN (SELECT account_id, count(*) AS n FROM kam.alerts_as_of('2026-06-30') GROUP BY account_id) AS a USING (account_id)
LEFT JOIN (SELECT account_id, count(*) FILTER (WHERE status = 'red') AS red, count(*) FILTER (WHERE status = 'amber') AS amber
           FROM kam.kpi_status_as_of('2026-06-30') GROUP BY account_id) AS k USING (account_id);
SELECT count(*) FILTER (WHERE kind = 'account') = (SELECT count(*) FROM kam.account) AS account_rows,
       count(*) FILTER (WHERE kind = 'kpi') = 8 * (SELECT count(*) FROM kam.account) AS kpi_rows,
       count(*) FILTER (WHERE kind = 'alert') = (SELECT count(*) FROM kam.alerts_as_of('2026-06-30')) AS alert_rows,
       count(*) FILTER (WHERE kind NOT IN ('account', 'kpi', 'alert')) = 0 AS no_other_rows
FROM kam.daily_review_as_of('2026-06-30');
-- Asked for some kinds, the review returns those only (the others' parts
-- are never run: a one-time filter per kind); other kinds are refused.
SELECT array_agg(DISTINCT kind ORDER BY kind) AS kpi_only FROM kam.daily_review_as_of('2026-06-30', ARRAY['kpi']);
SELECT array_agg(DISTINCT kind ORDER BY kind) AS accounts_and_alerts FROM kam.daily_review_as_of('2026-06-30', ARRAY['alert', 'account']);
SELECT pg_temp.error_of($$SELECT * FROM kam.daily_review_as_of('2026-06-30', ARRAY['kpi', 'kpis'])$$);
SELECT pg_temp.error_of($$SELECT * FROM kam.daily_review_as_of('2026-06-30', NULL)$$);
SELECT pg_temp.error_of($$SELECT * FROM kam.daily_review_as_of('2026-06-30', ARRAY['kpi', NULL])$$);

-- KPI snapshots: stored once per day, account and KPI, as account_kpi says;
-- running again for the same day replaces, never duplicates.
SELECT kam.snapshot_kpis('2026-06-30') = (SELECT count(*) FROM kam.account_kpi_as_of('2026-06-30')) AS all_stored;
SELECT kam.snapshot_kpis('2026-06-30') = (SELECT count(*) FROM kam.account_kpi_as_of('2026-06-30')) AS all_stored_again;
SELECT count(*) = count(DISTINCT (as_of, account_id, kpi)) AS no_duplicates,
       count(*) = (SELECT count(*) FROM kam.account_kpi_as_of('2026-06-30')) AS one_per_account_and_kpi
FROM kam.kpi_history WHERE as_of = '2026-06-30';
SELECT count(*) FILTER (WHERE h.status IS NOT DISTINCT FROM k.status AND h.value IS NOT DISTINCT FROM k.value) = count(*) AS as_evaluated
FROM kam.kpi_history AS h JOIN kam.account_kpi_as_of('2026-06-30') AS k USING (account_id, kpi) WHERE h.as_of = '2026-06-30';
SELECT kam.snapshot_kpis('2026-05-31') > 0 AS another_day;
SELECT count(*) > 0 AS trend_rows FROM kam.kpi_trend WHERE previous_as_of = '2026-05-31';
SELECT account_id, class, lifecycle_stage, revenue_12m, contact_status, open_needs, alerts > 0 AS has_alerts
FROM kam.account_360_as_of('2026-06-30') WHERE account_id > 800 ORDER BY account_id;
DELETE FROM kam.kpi_history;
DELETE FROM kam.need WHERE account_id > 800;
DELETE FROM kam.interaction WHERE account_id > 800;
DELETE FROM kam.sales_order WHERE account_id > 800;
DELETE FROM kam.account WHERE account_id > 800;
