-- The demo report: what kam computes from the sample answers.
\pset footer off
\pset null '-'

\echo
\echo '== Survey measures by account (both quarters; 95 % intervals) =='
\echo '   NPS: adjusted-Wald interval; CSAT: Wilson interval; CES: t interval of the mean'
SELECT account,
       (nps).n AS nps_n,
       round((nps).nps::numeric, 1) AS nps,
       format('[%s, %s]', round((nps).ci_low::numeric, 1), round((nps).ci_high::numeric, 1)) AS nps_95,
       round((csat).csat::numeric, 1) AS csat,
       format('[%s, %s]', round((csat).ci_low::numeric, 1), round((csat).ci_high::numeric, 1)) AS csat_95,
       round((ces).mean::numeric, 2) AS ces,
       format('[%s, %s]', round((ces).ci_low::numeric, 2), round((ces).ci_high::numeric, 2)) AS ces_95,
       round((ces).pct_easy::numeric, 0) AS "ces 6-7 %"
FROM (SELECT account,
             kam.nps_detail(score) FILTER (WHERE kind = 'nps') AS nps,
             kam.csat_detail(score) FILTER (WHERE kind = 'csat') AS csat,
             kam.ces_detail(score) FILTER (WHERE kind = 'ces') AS ces
      FROM demo_answer GROUP BY account) AS s
ORDER BY (nps).nps DESC;

\echo '== Quarter over quarter: NPS 2026-Q2 against 2026-Q1 (two-sample Wald test) =='
SELECT account,
       round((q1).nps::numeric, 1) AS nps_q1,
       round((q2).nps::numeric, 1) AS nps_q2,
       round(t.difference::numeric, 1) AS change,
       round(t.se::numeric, 1) AS se,
       round(t.p_value::numeric, 3) AS p_value,
       CASE WHEN t.p_value < 0.05 THEN CASE WHEN t.difference > 0 THEN 'up' ELSE 'down' END
            ELSE 'no significant change' END AS verdict
FROM (SELECT account,
             kam.nps_detail(score) FILTER (WHERE quarter = '2026-Q1') AS q1,
             kam.nps_detail(score) FILTER (WHERE quarter = '2026-Q2') AS q2
      FROM demo_answer WHERE kind = 'nps' GROUP BY account) AS s,
     LATERAL kam.nps_test(s.q2, s.q1) AS t
ORDER BY t.difference;

\echo '== Portfolio: every answer alike, and NPS weighted by the account''s revenue =='
SELECT round(kam.nps(a.score) FILTER (WHERE a.kind = 'nps')::numeric, 1) AS nps,
       round(kam.nps(a.score, d.revenue::float8) FILTER (WHERE a.kind = 'nps')::numeric, 1) AS revenue_weighted_nps,
       round(kam.csat(a.score) FILTER (WHERE a.kind = 'csat')::numeric, 1) AS csat,
       round(kam.ces(a.score) FILTER (WHERE a.kind = 'ces')::numeric, 2) AS ces
FROM demo_answer AS a JOIN demo_account AS d USING (account);
