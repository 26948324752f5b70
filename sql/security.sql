-- Row-level security with real roles: each account team sees its own
-- accounts, through every table and view; kam_admin sees all.

\i sql/include/error_of.sql

CREATE ROLE regress_kam_alice NOLOGIN;
CREATE ROLE regress_kam_bob NOLOGIN;
CREATE ROLE regress_kam_north NOLOGIN;          -- a team role; alice is in it
CREATE ROLE regress_kam_boss NOLOGIN;
GRANT regress_kam_north TO regress_kam_alice;
-- the administrator privilege: membership in a role named kam_admin
-- (created here only if the cluster has none, and dropped again below)
CREATE TEMP TABLE created_admin AS SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kam_admin') AS created;
DO $$ BEGIN
    IF (SELECT created FROM created_admin) THEN CREATE ROLE kam_admin NOLOGIN; END IF;
END $$;
GRANT kam_admin TO regress_kam_boss;
GRANT USAGE ON SCHEMA kam TO regress_kam_alice, regress_kam_bob, regress_kam_boss;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA kam
    TO regress_kam_alice, regress_kam_bob, regress_kam_boss;

INSERT INTO kam.account (account_id, name) VALUES (101, 'North Co'), (102, 'Bob''s Co'), (103, 'Nobody''s Co');
INSERT INTO kam.account_team (account_id, member, team_role) VALUES
    (101, 'regress_kam_north', 'owner'), (102, 'regress_kam_bob', 'owner'), (101, 'regress_kam_boss', 'executive_sponsor');
INSERT INTO kam.contact (contact_id, account_id, name) VALUES (101, 101, 'Nora'), (102, 102, 'Bert'), (103, 103, 'Nemo');
INSERT INTO kam.sales_order (account_id, order_date, amount) VALUES
    (101, current_date - 10, 100), (102, current_date - 10, 200), (103, current_date - 10, 300);
INSERT INTO kam.survey_response (account_id, responded_on, kind, score) VALUES
    (101, current_date, 'nps', 9), (102, current_date, 'nps', 3), (103, current_date, 'nps', 5);
INSERT INTO kam.interaction (account_id, internal_person, occurred_at, channel, direction)
SELECT id, 'x', now() - interval '1 day', 'phone', 'two_way' FROM unnest('{101,102,103}'::bigint[]) AS id;
INSERT INTO kam.need (account_id, raised_on, title) SELECT id, current_date, 'need' FROM unnest('{101,102,103}'::bigint[]) AS id;
INSERT INTO kam.service_case (account_id, opened_at) SELECT id, now() - interval '1 day' FROM unnest('{101,102,103}'::bigint[]) AS id;
SELECT kam.snapshot_kpis() > 0 AS snapshot_taken;

-- What a role sees of accounts 101..103, table by table and view by view.
CREATE FUNCTION pg_temp.visible() RETURNS TABLE (relation text, account_ids text)
LANGUAGE sql AS $$
    SELECT 'account', string_agg(account_id::text, ',' ORDER BY account_id) FROM kam.account WHERE account_id > 100
    UNION ALL SELECT 'account_team', string_agg(account_id::text || ':' || member::text, ',' ORDER BY account_id, member::text) FROM kam.account_team WHERE account_id > 100
    UNION ALL SELECT 'contact', string_agg(account_id::text, ',' ORDER BY account_id) FROM kam.contact WHERE account_id > 100
    UNION ALL SELECT 'sales_order', string_agg(account_id::text, ',' ORDER BY account_id) FROM kam.sales_order WHERE account_id > 100
    UNION ALL SELECT 'survey_response', string_agg(account_id::text, ',' ORDER BY account_id) FROM kam.survey_response WHERE account_id > 100
    UNION ALL SELECT 'account_value', string_agg(account_id::text, ',' ORDER BY account_id) FROM kam.account_value WHERE account_id > 100
    UNION ALL SELECT 'account_classification', string_agg(account_id::text, ',' ORDER BY account_id) FROM kam.account_classification WHERE account_id > 100
    UNION ALL SELECT 'interaction', string_agg(account_id::text, ',' ORDER BY account_id) FROM kam.interaction WHERE account_id > 100
    UNION ALL SELECT 'relationship_health', string_agg(account_id::text, ',' ORDER BY account_id) FROM kam.relationship_health WHERE account_id > 100
    UNION ALL SELECT 'relationship_network', string_agg(account_id::text, ',' ORDER BY account_id) FROM kam.relationship_network WHERE account_id > 100
    UNION ALL SELECT 'need', string_agg(account_id::text, ',' ORDER BY account_id) FROM kam.need WHERE account_id > 100
    UNION ALL SELECT 'needs_status', string_agg(account_id::text, ',' ORDER BY account_id) FROM kam.needs_status WHERE account_id > 100
    UNION ALL SELECT 'service_case', string_agg(account_id::text, ',' ORDER BY account_id) FROM kam.service_case WHERE account_id > 100
    UNION ALL SELECT 'service_quality', string_agg(account_id::text, ',' ORDER BY account_id) FROM kam.service_quality WHERE account_id > 100
    UNION ALL SELECT 'contact_cadence', string_agg(account_id::text, ',' ORDER BY account_id) FROM kam.contact_cadence WHERE account_id > 100
    UNION ALL SELECT 'account_kpi', string_agg(DISTINCT account_id::text, ',') FROM kam.account_kpi WHERE account_id > 100
    UNION ALL SELECT 'kpi_history', string_agg(DISTINCT account_id::text, ',') FROM kam.kpi_history WHERE account_id > 100
    UNION ALL SELECT 'alerts', string_agg(DISTINCT account_id::text, ',') FROM kam.alerts WHERE account_id > 100
    UNION ALL SELECT 'account_lifecycle', string_agg(account_id::text, ',' ORDER BY account_id) FROM kam.account_lifecycle WHERE account_id > 100
    UNION ALL SELECT 'account_360', string_agg(account_id::text, ',' ORDER BY account_id) FROM kam.account_360 WHERE account_id > 100
$$;
GRANT EXECUTE ON FUNCTION pg_temp.visible() TO PUBLIC;

-- alice, through her team role: account 101 only
SET ROLE regress_kam_alice;
SELECT * FROM pg_temp.visible();
SELECT kam.is_admin() AS alice_is_admin;
-- she cannot write rows of other accounts, nor put herself on a team
SELECT pg_temp.error_of($$INSERT INTO kam.sales_order (account_id, order_date, amount) VALUES (102, current_date, 1)$$);
SELECT pg_temp.error_of($$INSERT INTO kam.account_team (account_id, member, team_role) VALUES (103, 'regress_kam_alice', 'support')$$);
SELECT pg_temp.error_of($$INSERT INTO kam.account (name) VALUES ('Alice''s own')$$);
-- ... updates and deletes of invisible rows touch nothing
UPDATE kam.sales_order SET amount = 0 WHERE account_id = 102;
DELETE FROM kam.survey_response WHERE account_id = 103;
-- her own account: she may record an order
INSERT INTO kam.sales_order (account_id, order_date, amount) VALUES (101, current_date, 50);
-- and may not move it to another account
SELECT pg_temp.error_of($$UPDATE kam.sales_order SET account_id = 102 WHERE account_id = 101$$);
RESET ROLE;

-- bob: account 102 only
SET ROLE regress_kam_bob;
SELECT * FROM pg_temp.visible();
RESET ROLE;

-- the boss (kam_admin): all of them
SET ROLE regress_kam_boss;
SELECT kam.is_admin() AS boss_is_admin;
SELECT * FROM pg_temp.visible();
RESET ROLE;

-- nothing changed by the attempts above
SELECT account_id, amount FROM kam.sales_order WHERE account_id IN (101, 102, 103) ORDER BY account_id, amount;
SELECT count(*) AS answers FROM kam.survey_response WHERE account_id IN (101, 102, 103);

-- clean up
DELETE FROM kam.kpi_history WHERE account_id IN (101, 102, 103);
DELETE FROM kam.interaction WHERE account_id IN (101, 102, 103);
DELETE FROM kam.need WHERE account_id IN (101, 102, 103);
DELETE FROM kam.service_case WHERE account_id IN (101, 102, 103);
DELETE FROM kam.survey_response WHERE account_id IN (101, 102, 103);
DELETE FROM kam.sales_order WHERE account_id IN (101, 102, 103);
DELETE FROM kam.contact WHERE account_id IN (101, 102, 103);
DELETE FROM kam.account_team WHERE account_id IN (101, 102, 103);
DELETE FROM kam.account WHERE account_id IN (101, 102, 103);
REVOKE ALL ON ALL TABLES IN SCHEMA kam FROM regress_kam_alice, regress_kam_bob, regress_kam_boss;
REVOKE USAGE ON SCHEMA kam FROM regress_kam_alice, regress_kam_bob, regress_kam_boss;
DROP ROLE regress_kam_alice, regress_kam_bob, regress_kam_north, regress_kam_boss;
DO $$ BEGIN
    IF (SELECT created FROM created_admin) THEN DROP ROLE kam_admin; END IF;
END $$;
