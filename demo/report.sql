-- The demo report: what kam computes from the Northwind sample, as of the
-- day of its last order (1998-05-06).
\pset footer off
\pset null '-'
\set as_of '''1998-05-06'''

\echo
\echo 'Northwind (Ms-PL) loaded into kam: 91 customer companies, 830 orders, 9 account managers.'
\echo 'SIMULATED: margins (15-35 % of each order), strategic importance (1-5), all survey answers.'
\echo 'Analysis date: 1998-05-06 (the last order); windows: the 12 months before it, and the 12 before those.'

\echo
\echo '== Core / important / general (default rules) =='
SELECT class, count(*) AS accounts, round(100 * sum(revenue_share)::numeric, 1) AS "revenue %", decided_by
FROM kam.account_classification_as_of(:as_of)
GROUP BY class, decided_by ORDER BY min(rule_priority);

\echo '== ABC contribution classes (cumulative revenue share: A < 80 %, B < 95 %) =='
SELECT abc_class, count(*) AS accounts, round(sum(revenue_12m), 2) AS revenue_12m,
       round(100 * sum(abc_share)::numeric, 1) AS "share %"
FROM kam.account_value_as_of(:as_of) GROUP BY abc_class ORDER BY abc_class;

\echo '== RFM segments (R/F grid; quintiles, equal values share a score) =='
SELECT coalesce(rfm_segment, '(no orders)') AS segment, count(*) AS accounts,
       round(avg(recency_days)) AS "avg recency days", round(avg(frequency), 1) AS "avg orders 12m",
       round(avg(monetary), 2) AS "avg revenue 12m"
FROM kam.account_value_as_of(:as_of) GROUP BY rfm_segment ORDER BY count(*) DESC, segment;

\echo '== The ten largest accounts =='
SELECT v.account_name, c.class, v.abc_class AS abc, v.rfm_cell AS rfm, v.rfm_segment,
       v.revenue_12m, round(100 * v.revenue_growth::numeric, 1) AS "growth %", v.recency_days AS recency,
       round(v.clv::numeric, 0) AS clv
FROM kam.account_value_as_of(:as_of) AS v
JOIN kam.account_classification_as_of(:as_of) AS c USING (account_id)
ORDER BY v.revenue_12m DESC LIMIT 10;

\echo '== Survey measures by class (95 % intervals: NPS adjusted Wald, CSAT Wilson, CES t) =='
SELECT c.class,
       (s.nps).n AS answers,
       round((s.nps).nps::numeric, 1) AS nps,
       format('[%s, %s]', round((s.nps).ci_low::numeric, 1), round((s.nps).ci_high::numeric, 1)) AS nps_95,
       round((s.csat).csat::numeric, 1) AS csat,
       format('[%s, %s]', round((s.csat).ci_low::numeric, 1), round((s.csat).ci_high::numeric, 1)) AS csat_95,
       round((s.ces).mean::numeric, 2) AS ces,
       format('[%s, %s]', round((s.ces).ci_low::numeric, 2), round((s.ces).ci_high::numeric, 2)) AS ces_95
FROM kam.account_classification_as_of(:as_of) AS c
JOIN LATERAL (SELECT kam.nps_detail(r.score) FILTER (WHERE r.kind = 'nps') AS nps,
                     kam.csat_detail(r.score) FILTER (WHERE r.kind = 'csat') AS csat,
                     kam.ces_detail(r.score) FILTER (WHERE r.kind = 'ces') AS ces
              FROM kam.survey_response AS r
              JOIN kam.account_classification_as_of(:as_of) AS cc USING (account_id)
              WHERE cc.class = c.class) AS s ON true
GROUP BY c.class, s.nps, s.csat, s.ces
ORDER BY min(c.rule_priority);

\echo '== NPS and CSAT of the ten largest core accounts =='
SELECT c.account_name,
       (d.nps).n AS n, round((d.nps).nps::numeric, 1) AS nps,
       format('[%s, %s]', round((d.nps).ci_low::numeric, 1), round((d.nps).ci_high::numeric, 1)) AS nps_95,
       round((d.csat).csat::numeric, 1) AS csat,
       format('[%s, %s]', round((d.csat).ci_low::numeric, 1), round((d.csat).ci_high::numeric, 1)) AS csat_95
FROM kam.account_classification_as_of(:as_of) AS c
CROSS JOIN LATERAL (SELECT kam.nps_detail(r.score) FILTER (WHERE r.kind = 'nps') AS nps,
                           kam.csat_detail(r.score) FILTER (WHERE r.kind = 'csat') AS csat
                    FROM kam.survey_response AS r WHERE r.account_id = c.account_id) AS d
WHERE c.class = 'core'
ORDER BY c.revenue_share DESC LIMIT 10;

\echo '== Row-level security: what one account manager (Davolio) sees =='
SET ROLE kam_demo_davolio;
SELECT count(*) AS accounts_visible, sum(revenue_12m) AS their_revenue_12m,
       count(*) FILTER (WHERE abc_class = 'A') AS "their A accounts (ABC over what they see)"
FROM kam.account_value_as_of(:as_of);
RESET ROLE;

\echo '== Predictive CLV (BG/NBD + Gamma-Gamma, weeks; calibrated on the orders to 1998-05-06) =='
SELECT round(r::numeric, 3) AS r, round(alpha::numeric, 2) AS alpha, round(a::numeric, 3) AS a,
       round(b::numeric, 3) AS b, bgnbd_converged AS converged, round(p::numeric, 2) AS p,
       round(q::numeric, 2) AS q, round(gamma::numeric, 1) AS gamma, customers
FROM kam.fit_clv_model(:as_of);
\echo 'Northwind''s 89 ordering customers all kept buying to the end: the likelihood keeps rising towards'
\echo '"nobody drops out" (b / a growing without bound), so the fit says it did not converge rather than'
\echo 'pretend; with such parameters P(alive) is close to 1 for every account.'
SELECT churn_risk, count(*) AS accounts, round(avg(p_alive)::numeric, 2) AS "avg P(alive)",
       round(sum(expected_transactions)::numeric, 0) AS "orders expected next 12 months",
       round(sum(predicted_clv)::numeric, 0) AS "predicted CLV (12 months, margin share 1)"
FROM kam.account_clv_as_of(:as_of) GROUP BY churn_risk ORDER BY min(p_alive);
\echo '-- the accounts with the lowest P(alive):'
SELECT v.account_name, c.x AS repeat_orders, round(c.t_x::numeric, 1) AS "last (week)", round(c."T"::numeric, 1) AS "T (weeks)",
       round(c.p_alive::numeric, 2) AS p_alive, c.churn_risk, v.revenue_12m
FROM kam.account_clv_as_of(:as_of) AS c JOIN kam.account_value_as_of(:as_of) AS v USING (account_id)
ORDER BY c.p_alive, v.revenue_12m DESC LIMIT 5;

\echo
\echo '== Relationship health (SIMULATED interactions and questionnaires; index 0-100 from trust, satisfaction, commitment, cooperation intent) =='
SELECT h.account_name, round(h.relationship_index::numeric, 1) AS index, h.trend,
       round(h.index_change::numeric, 1) AS change, round(h.interaction_strength::numeric, 2) AS strength,
       round(100 * h.two_way_share::numeric, 0) AS "two-way %", h.one_way,
       round(100 * h.decision_chain_coverage::numeric, 0) AS "chain coverage %", k.strongest_person,
       round(100 * k.strongest_share::numeric, 0) AS "their share %", k.contacts_unreached AS unreached
FROM kam.relationship_health_as_of(:as_of) AS h
JOIN kam.key_person_risk_as_of(:as_of) AS k USING (account_id)
JOIN kam.account_classification_as_of(:as_of) AS c USING (account_id)
WHERE c.class = 'core'
ORDER BY h.relationship_index DESC NULLS LAST LIMIT 12;

\echo '== Decision-chain map of the three largest accounts (required roles and weights: decider 3, influencer 2, buyer 2, user 1, gatekeeper 1) =='
SELECT a.name AS account, d.role, d.role_weight AS weight, coalesce(d.contacts, '(nobody)') AS contacts,
       round(d.strength::numeric, 2) AS strength, d.engaged,
       round(100 * d.coverage::numeric, 0) AS "coverage %", d.single_threaded
FROM kam.decision_chain_as_of(:as_of) AS d
JOIN kam.account AS a USING (account_id)
WHERE d.account_id IN (SELECT account_id FROM kam.account_value_as_of(:as_of) ORDER BY revenue_12m DESC LIMIT 3)
ORDER BY a.name, d.role_weight DESC, d.role;

\echo
\echo '== The 360-degree view of the core accounts (as of 1998-05-06) =='
SELECT account_name, lifecycle_stage AS stage, abc_class AS abc, rfm_segment, round(revenue_12m) AS revenue_12m,
       round(relationship_index::numeric) AS rel_index, relationship_trend AS trend, contact_status,
       open_needs, kpis_red, alerts
FROM kam.account_360_as_of(:as_of)
WHERE class = 'core'
ORDER BY revenue_12m DESC LIMIT 12;

\echo '== Alerts (SIMULATED relationship data; no needs or service cases in the sample), by rule =='
SELECT rule, severity, count(*) AS alerts, min(account_name) AS "for example"
FROM kam.alerts_as_of(:as_of) GROUP BY rule, severity ORDER BY count(*) DESC, rule;
\echo '-- the most severe alerts of the core accounts:'
SELECT a.account_name, a.rule, a.evidence, a.next_action
FROM kam.alerts_as_of(:as_of) AS a
JOIN kam.account_classification_as_of(:as_of) AS c USING (account_id)
WHERE c.class = 'core' AND a.severity = 'high' AND a.rule <> 'KPI in red'
ORDER BY a.account_name, a.rule LIMIT 10;
