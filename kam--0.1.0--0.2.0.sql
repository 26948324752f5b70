-- kam 0.1.0 -> 0.2.0
\echo Use "ALTER EXTENSION kam UPDATE TO '0.2.0'" to load this file. \quit

-- Only pg_catalog resolves the names this script leaves unqualified:
-- CREATE EXTENSION would put the creating schema (often public, which other
-- roles may be able to write) on the path, where a look-alike function or
-- operator with a closer-matching signature would be bound into kam's
-- views, defaults and constraints for good.  (CREATE/ALTER EXTENSION restores
-- the caller's search_path afterwards.)
SET search_path = pg_catalog, pg_temp;

-- Contact personal data (email, phone) is readable only by roles granted
-- SELECT on those columns; everyone else reads the masked copies, kept as
-- generated columns (README, "Contact privacy").
CREATE FUNCTION kam.mask_email(email text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN left(email, 1) || '***' || substr(email, strpos(email, '@'));
COMMENT ON FUNCTION kam.mask_email(text) IS
  'an email address masked: its first character, ***, then @ and the domain (anna.berg@example.com -> a***@example.com)';

CREATE FUNCTION kam.mask_phone(phone text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN regexp_replace(phone, '[0-9](?=([^0-9]*[0-9]){2})', '*', 'g');
COMMENT ON FUNCTION kam.mask_phone(text) IS
  'a phone number masked: every digit but the last two replaced by * (+49 30 1234567 -> +** ** *****67)';

ALTER TABLE kam.contact
    ADD COLUMN email_masked text GENERATED ALWAYS AS (kam.mask_email(email)) STORED,
    ADD COLUMN phone_masked text GENERATED ALWAYS AS (kam.mask_phone(phone)) STORED;
COMMENT ON COLUMN kam.contact.email IS 'personal data: readable only by roles granted SELECT on this column (others read email_masked)';
COMMENT ON COLUMN kam.contact.phone IS 'personal data: readable only by roles granted SELECT on this column (others read phone_masked)';
COMMENT ON COLUMN kam.contact.email_masked IS 'email masked by kam.mask_email, for roles without the grant on email';
COMMENT ON COLUMN kam.contact.phone_masked IS 'phone masked by kam.mask_phone, for roles without the grant on phone';

CREATE VIEW kam.contact_directory WITH (security_invoker = true) AS
    SELECT contact_id, account_id, name, title, email_masked AS email, phone_masked AS phone,
           array_to_string(buying_roles, ', ') AS buying_roles, influence::integer AS influence, active
    FROM kam.contact;
COMMENT ON VIEW kam.contact_directory IS
  'contacts with email and phone masked: what roles without the contact-data grant read (row-level security applies)';

-- relationship_health_as_of joined the construct scores by LATERAL
-- subqueries that scanned every score once per account (quadratic: over
-- five minutes for 100 000 accounts); plain joins now.  (CREATE OR REPLACE
-- is safe here: schema kam is the extension's, no one else creates in it.)
CREATE OR REPLACE FUNCTION kam.relationship_health_as_of(as_of date)
RETURNS TABLE (account_id bigint, account_name text, relationship_index double precision,
               trust double precision, satisfaction double precision, commitment double precision,
               cooperation_intent double precision, interaction_strength double precision,
               two_way_share double precision, one_way boolean, last_contact timestamptz,
               decision_chain_coverage double precision, previous_index double precision,
               index_change double precision, trend text)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH p AS MATERIALIZED (SELECT * FROM kam.relationship_parameters(as_of)),
         w AS MATERIALIZED (SELECT * FROM kam.weights_in_force(as_of)),
         construct_weights AS MATERIALIZED (
             SELECT ARRAY[(SELECT weight FROM w WHERE kind = 'construct' AND name = 'trust'),
                          (SELECT weight FROM w WHERE kind = 'construct' AND name = 'satisfaction'),
                          (SELECT weight FROM w WHERE kind = 'construct' AND name = 'commitment'),
                          (SELECT weight FROM w WHERE kind = 'construct' AND name = 'cooperation_intent')] AS weights),
         -- construct scores of a period: the Likert mean of every item answered in it, rescaled to 0..100
         scores AS (
             SELECT r.account_id, (as_of - r.assessed_on) < 365 AS current,
                    avg(kam.likert_rescale(t.item, r.scale_min, r.scale_max)) FILTER (WHERE t.construct = 1) AS trust,
                    avg(kam.likert_rescale(t.item, r.scale_min, r.scale_max)) FILTER (WHERE t.construct = 2) AS satisfaction,
                    avg(kam.likert_rescale(t.item, r.scale_min, r.scale_max)) FILTER (WHERE t.construct = 3) AS commitment,
                    avg(kam.likert_rescale(t.item, r.scale_min, r.scale_max)) FILTER (WHERE t.construct = 4) AS cooperation
             FROM kam.relationship_assessment AS r
             CROSS JOIN LATERAL (SELECT 1 AS construct, unnest(r.trust) AS item
                                 UNION ALL SELECT 2, unnest(r.satisfaction)
                                 UNION ALL SELECT 3, unnest(r.commitment)
                                 UNION ALL SELECT 4, unnest(r.cooperation_intent)) AS t
             WHERE r.assessed_on <= as_of AND r.assessed_on > as_of - 730
             GROUP BY r.account_id, (as_of - r.assessed_on) < 365),
         strength AS (
             SELECT i.account_id,
                    kam.relationship_strength(i.occurred_at, cw.weight * dw.weight, i.direction <> 'outbound',
                                              kam.strength_at((as_of + 1)::timestamptz, p.half_life_days, p.window_days)) AS s,
                    avg((i.direction = 'two_way')::int) FILTER (
                        WHERE i.occurred_at >= (as_of + 1)::timestamptz - make_interval(days => p.window_days::int)) AS two_way_share
             FROM kam.interaction AS i
             JOIN w AS cw ON cw.kind = 'channel' AND cw.name = i.channel
             JOIN w AS dw ON dw.kind = 'direction' AND dw.name = i.direction
             CROSS JOIN p
             WHERE i.occurred_at < (as_of + 1)::timestamptz
             GROUP BY i.account_id),
         coverage AS (SELECT DISTINCT d.account_id, d.coverage FROM kam.decision_chain_as_of(as_of) AS d)
    SELECT a.account_id, a.name, cur.index, cur.trust, cur.satisfaction, cur.commitment,
           cur.cooperation, (st.s).strength, st.two_way_share, (st.s).one_way, (st.s).last_contact,
           cv.coverage, prev.index, cur.index - prev.index,
           CASE WHEN cur.index IS NULL OR prev.index IS NULL THEN NULL
                WHEN cur.index - prev.index > 5 THEN 'up'
                WHEN cur.index - prev.index < -5 THEN 'down'
                ELSE 'flat' END
    FROM kam.account AS a
    -- (joins on account_id, not LATERAL subqueries: those scanned all the
    -- scores once per account, quadratic in the accounts)
    LEFT JOIN (SELECT s.account_id, s.trust, s.satisfaction, s.commitment, s.cooperation,
                      kam.relationship_index(s.trust, s.satisfaction, s.commitment, s.cooperation,
                                             cwt.weights) AS index
               FROM scores AS s CROSS JOIN construct_weights AS cwt WHERE s.current) AS cur
        ON cur.account_id = a.account_id
    LEFT JOIN (SELECT s.account_id,
                      kam.relationship_index(s.trust, s.satisfaction, s.commitment, s.cooperation,
                                             cwt.weights) AS index
               FROM scores AS s CROSS JOIN construct_weights AS cwt WHERE NOT s.current) AS prev
        ON prev.account_id = a.account_id
    LEFT JOIN strength AS st ON st.account_id = a.account_id
    LEFT JOIN coverage AS cv ON cv.account_id = a.account_id
$$;

-- decision_chain_as_of counted each account's engaged contacts with a
-- subquery per row over all ties (quadratic); a join now.
CREATE OR REPLACE FUNCTION kam.decision_chain_as_of(as_of date)
RETURNS TABLE (account_id bigint, role text, role_weight double precision, contacts text,
               strength double precision, engaged boolean, coverage double precision, single_threaded boolean)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH roles AS MATERIALIZED (SELECT name AS role, weight FROM kam.weights_in_force(as_of)
                                WHERE kind = 'role' AND weight > 0),
         ties AS MATERIALIZED (SELECT t.account_id, t.contact_id, sum(t.strength) AS strength, bool_or(t.engaged) AS engaged
                               FROM kam.contact_strength_as_of(as_of) AS t WHERE t.contact_id IS NOT NULL
                               GROUP BY t.account_id, t.contact_id),
         engaged_contacts AS (SELECT t.account_id, count(*) AS n FROM ties AS t WHERE t.engaged GROUP BY t.account_id),
         per_role AS (
             SELECT a.account_id, r.role, r.weight,
                    string_agg(c.name || ' (' || round(coalesce(t.strength, 0)::numeric, 2)
                               || CASE WHEN t.engaged THEN ', engaged)' ELSE ')' END, ', ' ORDER BY c.name) AS contacts,
                    coalesce(sum(t.strength), 0) AS strength,
                    coalesce(bool_or(t.engaged), false) AS engaged
             FROM kam.account AS a
             CROSS JOIN roles AS r
             LEFT JOIN kam.contact AS c ON c.account_id = a.account_id AND c.active AND r.role = ANY (c.buying_roles)
             LEFT JOIN ties AS t ON t.account_id = a.account_id AND t.contact_id = c.contact_id
             GROUP BY a.account_id, r.role, r.weight)
    SELECT pr.account_id, pr.role, pr.weight, pr.contacts, pr.strength, pr.engaged,
           coalesce(sum(pr.weight) FILTER (WHERE pr.engaged) OVER (PARTITION BY pr.account_id), 0)
               / sum(pr.weight) OVER (PARTITION BY pr.account_id),
           coalesce(e.n = 1, false)
    FROM per_role AS pr
    -- (a join, not a subquery per row: that rescanned every tie, quadratic in the accounts)
    LEFT JOIN engaged_contacts AS e ON e.account_id = pr.account_id
$$;
