-- Loads the Northwind sample (demo/northwind/, Ms-PL) into kam's tables.
-- Costs, strategic importance and survey answers are SIMULATED
-- deterministically (md5 of the keys; setseed for the answers).

CREATE SCHEMA northwind;
SET search_path = northwind;
\ir northwind/northwind.sql
RESET search_path;
RESET client_min_messages;

-- A deterministic number in [0, 1) from a text key.
CREATE FUNCTION northwind.uniform(key text) RETURNS double precision
    LANGUAGE sql IMMUTABLE
    RETURN ('x' || substr(md5(key), 1, 8))::bit(32)::bigint::double precision / 4294967296.0;

INSERT INTO kam.account (external_ref, name, region, country, strategic_importance, acquired_on)
SELECT c.customer_id, c.company_name, c.region, c.country,
       1 + floor(5 * northwind.uniform('importance' || c.customer_id))::int,        -- simulated
       (SELECT min(o.order_date) FROM northwind.orders AS o WHERE o.customer_id = c.customer_id)
FROM northwind.customers AS c
ORDER BY c.customer_id;

-- Account managers: a database role per employee; the employee who took
-- most of a customer's orders owns the account, the second supports it.
DO $$
DECLARE
    e record;
BEGIN
    FOR e IN SELECT DISTINCT lower(last_name) AS name FROM northwind.employees LOOP
        EXECUTE format('CREATE ROLE %I NOLOGIN', 'kam_demo_' || e.name);
        EXECUTE format('GRANT USAGE ON SCHEMA kam TO %I', 'kam_demo_' || e.name);
        EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA kam TO %I', 'kam_demo_' || e.name);
    END LOOP;
END $$;
INSERT INTO kam.account_team (account_id, member, team_role)
SELECT a.account_id, ('kam_demo_' || lower(r.last_name))::regrole,
       CASE r.place WHEN 1 THEN 'owner' ELSE 'support' END
FROM (SELECT o.customer_id, e.last_name,
             row_number() OVER (PARTITION BY o.customer_id ORDER BY count(*) DESC, e.employee_id) AS place
      FROM northwind.orders AS o JOIN northwind.employees AS e USING (employee_id)
      GROUP BY o.customer_id, e.employee_id, e.last_name) AS r
JOIN kam.account AS a ON a.external_ref = r.customer_id
WHERE r.place <= 2;

INSERT INTO kam.contact (account_id, name, title, buying_roles)
SELECT a.account_id, c.contact_name, c.contact_title,
       CASE WHEN c.contact_title IN ('Owner', 'Sales Manager') THEN '{decider}'
            WHEN c.contact_title = 'Marketing Manager' THEN '{influencer}'
            WHEN c.contact_title = 'Accounting Manager' THEN '{approver}'
            WHEN c.contact_title = 'Marketing Assistant' THEN '{user}'
            ELSE '{buyer}' END::text[]
FROM northwind.customers AS c JOIN kam.account AS a ON a.external_ref = c.customer_id
WHERE c.contact_name IS NOT NULL;

INSERT INTO kam.sales_order (account_id, order_ref, order_date, amount, margin, currency)
SELECT a.account_id, o.order_id::text, o.order_date, t.amount,
       round(t.amount * (0.15 + 0.20 * northwind.uniform('margin' || o.order_id))::numeric, 2),   -- simulated
       'USD'
FROM northwind.orders AS o
JOIN kam.account AS a ON a.external_ref = o.customer_id
CROSS JOIN LATERAL (
    SELECT round(sum(d.unit_price::numeric * d.quantity * (1 - d.discount::numeric)), 2) AS amount
    FROM northwind.order_details AS d WHERE d.order_id = o.order_id) AS t
ORDER BY o.order_id;

-- Simulated survey answers, 1997-07 to 1998-04: per account 4 to 23 of
-- each kind; an account's answers lean by a simulated satisfaction.
SELECT setseed(0.1998);
INSERT INTO kam.survey_response (account_id, responded_on, kind, score)
SELECT a.account_id,
       date '1997-07-01' + floor(300 * random())::int,
       k.kind,
       least(k.top, greatest(k.bottom, round(k.bottom + (k.top - k.bottom) *
             least(1.0, greatest(0.0, (random() + random() + random()) / 3
                                     + 0.6 * (northwind.uniform('mood' || a.external_ref) - 0.5) + 0.15)))::int))
FROM kam.account AS a
CROSS JOIN (VALUES ('nps', 0, 10), ('csat', 1, 5), ('ces', 1, 7)) AS k(kind, bottom, top)
CROSS JOIN LATERAL generate_series(1, 4 + floor(20 * northwind.uniform(k.kind || a.external_ref))::int) AS i
ORDER BY a.account_id, k.kind, i;

-- Simulated relationship data (Northwind has none): 0-3 more contacts per
-- account in other buying-centre roles, interactions of the account
-- managers with the contacts from 1997-06 to 1998-05, and relationship
-- questionnaires (1..7) in 1997 and 1998.
SELECT setseed(0.1999);
INSERT INTO kam.contact (account_id, name, title, buying_roles)
SELECT a.account_id, 'Simulated contact ' || i || ' of ' || a.external_ref, r.title, ARRAY[r.role]
FROM kam.account AS a
CROSS JOIN LATERAL generate_series(1, floor(4 * northwind.uniform('contacts' || a.external_ref))::int) AS i
CROSS JOIN LATERAL (SELECT (ARRAY['decider', 'influencer', 'buyer', 'user', 'gatekeeper'])[1 + (i + length(a.external_ref)) % 5] AS role,
                           (ARRAY['Managing Director', 'Head of Category', 'Purchasing Agent', 'Store Manager', 'Assistant'])[1 + (i + length(a.external_ref)) % 5] AS title) AS r
ORDER BY a.account_id, i;

INSERT INTO kam.interaction (account_id, contact_id, internal_person, occurred_at, channel, direction, sentiment)
SELECT c.account_id, c.contact_id, m.person,
       timestamptz '1997-06-01 09:00' + make_interval(days => floor(340 * random())::int),
       (ARRAY['visit', 'meeting', 'video', 'phone', 'phone', 'email', 'email', 'chat'])[1 + floor(8 * random())::int],
       (ARRAY['outbound', 'outbound', 'inbound', 'two_way', 'two_way'])[1 + floor(5 * random())::int],
       floor(5 * random())::int - 2
FROM kam.contact AS c
JOIN LATERAL (SELECT substr(t.member::text, 10) AS person FROM kam.account_team AS t
              WHERE t.account_id = c.account_id ORDER BY t.team_role) AS m ON true
CROSS JOIN LATERAL generate_series(1, floor(12 * northwind.uniform('ties' || c.contact_id || m.person))::int) AS i
ORDER BY c.contact_id, m.person, i;

-- a 1..7 answer leaning towards lean (0..1)
CREATE FUNCTION northwind.likert(lean double precision) RETURNS smallint
    LANGUAGE sql VOLATILE
    RETURN least(7, greatest(1, round(1 + 6 * (0.4 * random() + 0.6 * lean))))::smallint;

INSERT INTO kam.relationship_assessment (account_id, contact_id, assessed_on, trust, satisfaction, commitment, cooperation_intent)
SELECT c.account_id, c.contact_id, y.day,
       ARRAY[northwind.likert(y.lean), northwind.likert(y.lean), northwind.likert(y.lean)],
       ARRAY[northwind.likert(y.lean), northwind.likert(y.lean)],
       CASE WHEN random() < 0.7 THEN ARRAY[northwind.likert(y.lean), northwind.likert(y.lean)] END,
       ARRAY[northwind.likert(y.lean)]
FROM kam.contact AS c
CROSS JOIN LATERAL (VALUES (date '1997-04-15', northwind.uniform('rq97' || c.account_id)),
                           (date '1998-04-15', northwind.uniform('rq98' || c.account_id))) AS y(day, lean)
WHERE c.name NOT LIKE 'Simulated%' OR northwind.uniform('rq' || c.contact_id) < 0.5
ORDER BY c.contact_id, y.day;
