-- Row-level security with real roles: each account team sees its own
-- accounts, through every table and view; kam_admin sees all.

\i sql/include/error_of.sql

CREATE ROLE regress_kam_alice NOLOGIN;
CREATE ROLE regress_kam_bob NOLOGIN;
CREATE ROLE regress_kam_north NOLOGIN;          -- a team role; alice is in it
CREATE ROLE regress_kam_boss NOLOGIN;
CREATE ROLE regress_kam_carol NOLOGIN;          -- in team north, granted the contact data
CREATE ROLE regress_kam_nobody NOLOGIN;         -- every privilege, no team
GRANT regress_kam_north TO regress_kam_alice, regress_kam_carol;
-- the administrator privilege: membership in a role named kam_admin
-- (created here only if the cluster has none, and dropped again below)
CREATE TEMP TABLE created_admin AS SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kam_admin') AS created;
DO $$ BEGIN
    IF (SELECT created FROM created_admin) THEN CREATE ROLE kam_admin NOLOGIN; END IF;
END $$;
GRANT kam_admin TO regress_kam_boss;
GRANT USAGE ON SCHEMA kam TO regress_kam_alice, regress_kam_bob, regress_kam_boss, regress_kam_carol, regress_kam_nobody;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA kam
    TO regress_kam_alice, regress_kam_bob, regress_kam_boss, regress_kam_carol, regress_kam_nobody;
-- contact personal data (README, "Contact privacy"): every role reads all
-- contact columns but email and phone; carol alone is granted those
REVOKE SELECT ON kam.contact FROM regress_kam_alice, regress_kam_bob, regress_kam_boss, regress_kam_carol, regress_kam_nobody;
GRANT SELECT (contact_id, account_id, name, title, buying_roles, influence, active, email_masked, phone_masked)
    ON kam.contact TO regress_kam_alice, regress_kam_bob, regress_kam_boss, regress_kam_carol, regress_kam_nobody;
GRANT SELECT (email, phone) ON kam.contact TO regress_kam_carol;

INSERT INTO kam.account (account_id, name) VALUES (101, 'North Co'), (102, 'Bob''s Co'), (103, 'Nobody''s Co');
INSERT INTO kam.account_team (account_id, member, team_role) VALUES
    (101, 'regress_kam_north', 'owner'), (102, 'regress_kam_bob', 'owner'), (101, 'regress_kam_boss', 'executive_sponsor');
INSERT INTO kam.contact (contact_id, account_id, name, email, phone) VALUES
    (101, 101, 'Nora', 'nora.north@north.example', '+49 30 1234567'),
    (102, 102, 'Bert', 'bert@bob.example', '(555) 010-9988'),
    (103, 103, 'Nemo', 'nemo@nobody.example', NULL);
INSERT INTO kam.sales_order (account_id, order_date, amount) VALUES
    (101, current_date - 10, 100), (102, current_date - 10, 200), (103, current_date - 10, 300);
INSERT INTO kam.survey_response (account_id, responded_on, kind, score) VALUES
    (101, current_date, 'nps', 9), (102, current_date, 'nps', 3), (103, current_date, 'nps', 5);
INSERT INTO kam.interaction (account_id, internal_person, occurred_at, channel, direction)
SELECT id, 'x', now() - interval '1 day', 'phone', 'two_way' FROM unnest('{101,102,103}'::bigint[]) AS id;
INSERT INTO kam.need (account_id, raised_on, title) SELECT id, current_date, 'need' FROM unnest('{101,102,103}'::bigint[]) AS id;
INSERT INTO kam.relationship_assessment (account_id, assessed_on, trust) SELECT id, current_date, '{6}' FROM unnest('{101,102,103}'::bigint[]) AS id;
INSERT INTO kam.service_case (account_id, opened_at) SELECT id, now() - interval '1 day' FROM unnest('{101,102,103}'::bigint[]) AS id;
SELECT kam.snapshot_kpis() > 0 AS snapshot_taken;

-- the SQLSTATE, message and detail of a query's error (details name key values)
CREATE FUNCTION pg_temp.error_detail_of(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    detail text;
BEGIN
    EXECUTE query;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
    RETURN sqlstate || ': ' || sqlerrm || ' / detail: ' || coalesce(nullif(detail, ''), 'none');
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.error_detail_of(text) TO PUBLIC;

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
    UNION ALL SELECT 'contact_directory', string_agg(account_id::text, ',' ORDER BY account_id) FROM kam.contact_directory WHERE account_id > 100
    UNION ALL SELECT 'relationship_assessment', string_agg(account_id::text, ',' ORDER BY account_id) FROM kam.relationship_assessment WHERE account_id > 100
    UNION ALL SELECT 'decision_chain', string_agg(DISTINCT account_id::text, ',') FROM kam.decision_chain WHERE account_id > 100
    UNION ALL SELECT 'key_person_risk', string_agg(account_id::text, ',' ORDER BY account_id) FROM kam.key_person_risk WHERE account_id > 100
    UNION ALL SELECT 'person_portfolio (accounts of person x)', string_agg(accounts::text, ',') FROM kam.person_portfolio WHERE internal_person = 'x'
    UNION ALL SELECT 'account_clv', string_agg(account_id::text, ',' ORDER BY account_id) FROM kam.account_clv WHERE account_id > 100
    UNION ALL SELECT 'open_needs', string_agg(account_id::text, ',' ORDER BY account_id) FROM kam.open_needs WHERE account_id > 100
$$;

-- ... and through every set-returning function of a day: the accounts above 100 each one returns
-- (account_clv_as_of returns rows only once a CLV model is fitted: none here)
CREATE FUNCTION pg_temp.visible_as_of() RETURNS TABLE (function text, account_ids text)
LANGUAGE plpgsql AS $$
DECLARE
    f regproc;
BEGIN
    FOR f IN SELECT p.oid FROM pg_proc AS p
             WHERE p.pronamespace = 'kam'::regnamespace AND p.proname LIKE '%\_as\_of' AND p.proretset
               AND pg_get_function_identity_arguments(p.oid) LIKE 'as_of date%' AND p.pronargs - p.pronargdefaults = 1
               AND 'account_id' = ANY (p.proargnames)
             ORDER BY p.proname
    LOOP
        function := f::text;
        EXECUTE format('SELECT string_agg(DISTINCT account_id::text, '','') FROM %s(current_date) WHERE account_id > 100', f)
            INTO account_ids;
        RETURN NEXT;
    END LOOP;
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.visible_as_of() TO PUBLIC;

-- A role may not insert a row into an account it does not serve, nor move
-- one of its rows there, in any account-scoped table: the SQLSTATE of each try.
CREATE FUNCTION pg_temp.write_attempts(own bigint, other bigint) RETURNS TABLE (relation text, insert_other text, move_to_other text)
LANGUAGE plpgsql AS $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('kam.contact', $i$INSERT INTO kam.contact (account_id, name) VALUES (%s, 'Intruder')$i$),
        ('kam.sales_order', $i$INSERT INTO kam.sales_order (account_id, order_date, amount) VALUES (%s, current_date, 1)$i$),
        ('kam.survey_response', $i$INSERT INTO kam.survey_response (account_id, responded_on, kind, score) VALUES (%s, current_date, 'nps', 10)$i$),
        ('kam.interaction', $i$INSERT INTO kam.interaction (account_id, internal_person, occurred_at, channel, direction) VALUES (%s, 'x', now(), 'visit', 'two_way')$i$),
        ('kam.relationship_assessment', $i$INSERT INTO kam.relationship_assessment (account_id, assessed_on, trust) VALUES (%s, current_date, '{7}')$i$),
        ('kam.need', $i$INSERT INTO kam.need (account_id, raised_on, title) VALUES (%s, current_date, 'x')$i$),
        ('kam.service_case', $i$INSERT INTO kam.service_case (account_id, opened_at) VALUES (%s, now())$i$),
        ('kam.kpi_history', $i$INSERT INTO kam.kpi_history (as_of, account_id, kpi) VALUES ('2001-01-01', %s, 'x')$i$),
        ('kam.account_team', $i$INSERT INTO kam.account_team (account_id, member, team_role) VALUES (%s, current_user::regrole, 'support')$i$))
        AS v(relation, statement)
    LOOP
        relation := t.relation;
        BEGIN
            EXECUTE format(t.statement, other);
            insert_other := 'inserted';
        EXCEPTION WHEN OTHERS THEN
            insert_other := sqlstate;
        END;
        BEGIN
            EXECUTE format(t.statement, own);
            EXECUTE format('UPDATE %s SET account_id = %s WHERE account_id = %s', t.relation, other, own);
            move_to_other := 'moved';
        EXCEPTION WHEN OTHERS THEN
            move_to_other := sqlstate;
        END;
        RETURN NEXT;
    END LOOP;
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.write_attempts(bigint, bigint) TO PUBLIC;
GRANT EXECUTE ON FUNCTION pg_temp.visible() TO PUBLIC;

-- alice, through her team role: account 101 only
SET ROLE regress_kam_alice;
SELECT * FROM pg_temp.visible();
SELECT * FROM pg_temp.visible_as_of();
-- inserts for account 102 fail the policy (42501); her own rows cannot be moved
-- there (42501); account_team is kam_admin's alone, her own account too
SELECT * FROM pg_temp.write_attempts(101, 102);
-- contact data: she reads the masked copies, not email or phone
SELECT pg_temp.error_of('SELECT email FROM kam.contact');
SELECT pg_temp.error_of('SELECT phone FROM kam.contact WHERE contact_id = 101');
SELECT pg_temp.error_of('SELECT * FROM kam.contact');
SELECT pg_temp.error_of($$SELECT count(*) FROM kam.contact WHERE email LIKE 'n%'$$);
SELECT pg_temp.error_of($$UPDATE kam.contact SET title = 'x' WHERE phone LIKE '+49%'$$);
SELECT pg_temp.error_of($$UPDATE kam.contact SET title = 'x' WHERE contact_id = 101 RETURNING email$$);
SELECT contact_id, email, phone FROM kam.contact_directory ORDER BY contact_id;
-- error messages name no row she may not see: another team's contact id
-- taken (the key is not shown), a foreign key to an invisible account
SELECT pg_temp.error_detail_of($$INSERT INTO kam.contact (contact_id, account_id, name) VALUES (102, 101, 'Clash')$$);
SELECT pg_temp.error_detail_of($$INSERT INTO kam.interaction (account_id, contact_id, internal_person, occurred_at, channel, direction) VALUES (101, 102, 'x', now(), 'visit', 'two_way')$$);
-- (naming another team's company as the parent is allowed: a reference only,
-- which shows bob nothing of account 101, and alice nothing of 102)
SELECT pg_temp.error_detail_of($$UPDATE kam.account SET parent_account_id = 102 WHERE account_id = 101$$);
SELECT count(*) AS parents_alice_sees FROM kam.account WHERE account_id = 102;
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

-- bob: account 102 only (101, now a subsidiary of his 102, stays hidden)
SET ROLE regress_kam_bob;
SELECT * FROM pg_temp.visible();
SELECT count(*) AS subsidiaries_bob_sees FROM kam.account WHERE parent_account_id = 102;
SELECT * FROM pg_temp.visible_as_of();
SELECT contact_id, email, phone FROM kam.contact_directory ORDER BY contact_id;
RESET ROLE;

-- carol, in team north and granted the contact data: account 101's in clear, no other
SET ROLE regress_kam_carol;
SELECT contact_id, email, phone, email_masked, phone_masked FROM kam.contact ORDER BY contact_id;
SELECT count(*) AS rows_of_other_accounts FROM kam.contact WHERE account_id <> 101;
RESET ROLE;

-- nobody: every privilege but no team: nothing at all
SET ROLE regress_kam_nobody;
SELECT * FROM pg_temp.visible();
SELECT * FROM pg_temp.visible_as_of();
SELECT * FROM pg_temp.write_attempts(103, 102);
RESET ROLE;

-- the boss (kam_admin): all of them; the contact data is still masked for him
SET ROLE regress_kam_boss;
SELECT kam.is_admin() AS boss_is_admin;
SELECT * FROM pg_temp.visible();
SELECT * FROM pg_temp.visible_as_of();
SELECT pg_temp.error_of('SELECT email FROM kam.contact');
SELECT contact_id, email, phone FROM kam.contact_directory ORDER BY contact_id;
RESET ROLE;

-- nothing changed by the attempts above
SELECT account_id, amount FROM kam.sales_order WHERE account_id IN (101, 102, 103) ORDER BY account_id, amount;
SELECT count(*) AS answers FROM kam.survey_response WHERE account_id IN (101, 102, 103);

-- nothing got into the other accounts: rows per table and account beyond the set-up
SELECT 'interaction' AS relation, account_id, count(*) FROM kam.interaction WHERE account_id IN (101, 102, 103) GROUP BY 2
UNION ALL SELECT 'contact', account_id, count(*) FROM kam.contact WHERE account_id IN (101, 102, 103) GROUP BY 2
UNION ALL SELECT 'need', account_id, count(*) FROM kam.need WHERE account_id IN (101, 102, 103) GROUP BY 2
UNION ALL SELECT 'relationship_assessment', account_id, count(*) FROM kam.relationship_assessment WHERE account_id IN (101, 102, 103) GROUP BY 2
UNION ALL SELECT 'account_team', account_id, count(*) FROM kam.account_team WHERE account_id IN (101, 102, 103) GROUP BY 2
ORDER BY 1, 2;

-- clean up
DELETE FROM kam.kpi_history WHERE account_id IN (101, 102, 103);
DELETE FROM kam.relationship_assessment WHERE account_id IN (101, 102, 103);
DELETE FROM kam.interaction WHERE account_id IN (101, 102, 103);
DELETE FROM kam.need WHERE account_id IN (101, 102, 103);
DELETE FROM kam.service_case WHERE account_id IN (101, 102, 103);
DELETE FROM kam.survey_response WHERE account_id IN (101, 102, 103);
DELETE FROM kam.sales_order WHERE account_id IN (101, 102, 103);
DELETE FROM kam.contact WHERE account_id IN (101, 102, 103);
DELETE FROM kam.account_team WHERE account_id IN (101, 102, 103);
DELETE FROM kam.account WHERE account_id IN (101, 102, 103);
REVOKE ALL ON ALL TABLES IN SCHEMA kam FROM regress_kam_alice, regress_kam_bob, regress_kam_boss, regress_kam_carol, regress_kam_nobody;
REVOKE SELECT (contact_id, account_id, name, title, buying_roles, influence, active, email_masked, phone_masked, email, phone)
    ON kam.contact FROM regress_kam_alice, regress_kam_bob, regress_kam_boss, regress_kam_carol, regress_kam_nobody;
REVOKE USAGE ON SCHEMA kam FROM regress_kam_alice, regress_kam_bob, regress_kam_boss, regress_kam_carol, regress_kam_nobody;
DROP ROLE regress_kam_alice, regress_kam_bob, regress_kam_north, regress_kam_boss, regress_kam_carol, regress_kam_nobody;
DO $$ BEGIN
    IF (SELECT created FROM created_admin) THEN DROP ROLE kam_admin; END IF;
END $$;
