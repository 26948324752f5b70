-- kam 0.2.0: survey measures, customer value, predictive CLV, relationship model, daily management.
-- complain if script is sourced in psql rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION kam" to load this file. \quit

-- Only pg_catalog resolves the names this script leaves unqualified:
-- CREATE EXTENSION would put the creating schema (often public, which other
-- roles may be able to write) on the path, where a look-alike function or
-- operator with a closer-matching signature would be bound into kam's
-- views, defaults and constraints for good.  SET LOCAL, not SET: CREATE/ALTER
-- EXTENSION restores the caller's search_path when the script ends only if
-- the script did not SET it (a plain SET here stayed in force in the
-- caller's session afterwards).
SET LOCAL search_path = pg_catalog, pg_temp;

-- SQL functions either pin search_path with a SET clause or have a BEGIN
-- ATOMIC body, bound to the objects it names when the function is created
-- (so search_path cannot change it later).  The functions returning rows
-- over all accounts use BEGIN ATOMIC: a SET clause stops the planner from
-- inlining a function into the query that calls it, and inlined they skip
-- storing every row in between and keep an outer WHERE on the account.

-- The schema is a member of the extension: DROP EXTENSION removes it.
CREATE SCHEMA kam;
COMMENT ON SCHEMA kam IS 'kam: key-account management models';

------------------------------------------------------------------- result types

CREATE TYPE kam.nps_summary AS (
    n           bigint,
    promoters   bigint,
    passives    bigint,
    detractors  bigint,
    nps         double precision,
    se          double precision,
    ci_low      double precision,
    ci_high     double precision
);
COMMENT ON TYPE kam.nps_summary IS
  'NPS with counts, standard error 100*sqrt(((p+d)-(p-d)^2)/n) and the adjusted-Wald 95% interval (clipped to [-100, 100])';

CREATE TYPE kam.nps_test_result AS (
    difference  double precision,
    se          double precision,
    z           double precision,
    p_value     double precision
);
COMMENT ON TYPE kam.nps_test_result IS
  'two-sample Wald test of NPS_1 - NPS_2: difference, its standard error, z and the two-sided p-value (z and p NULL when se = 0)';

CREATE TYPE kam.csat_summary AS (
    n           bigint,
    satisfied   bigint,
    csat        double precision,
    ci_low      double precision,
    ci_high     double precision,
    scale_max   integer
);
COMMENT ON TYPE kam.csat_summary IS
  'CSAT (percent of the top two answers of 1..scale_max) with its Wilson 95% interval';

CREATE TYPE kam.ces_summary AS (
    n              bigint,
    mean           double precision,
    sd             double precision,
    ci_low         double precision,
    ci_high        double precision,
    pct_difficult  double precision,
    pct_neutral    double precision,
    pct_easy       double precision
);
COMMENT ON TYPE kam.ces_summary IS
  'CES 2.0 (1-7) mean, sample standard deviation, t-based 95% interval of the mean (clipped to [1, 7]; NULL when n = 1) and percent of answers 1-3, 4-5 and 6-7';

------------------------------------------------------------------------- NPS

CREATE FUNCTION kam.nps_accum(state bigint[], score integer) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'kam_nps_accum'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.nps_accum(bigint[], integer) IS
  'state function of kam.nps and kam.nps_detail: counts a 0-10 answer into {detractors, passives, promoters}';

CREATE FUNCTION kam.nps_retract(state bigint[], score integer) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'kam_nps_retract'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.nps_retract(bigint[], integer) IS
  'inverse state function of kam.nps and kam.nps_detail in moving window frames: removes a 0-10 answer';

CREATE FUNCTION kam.nps_combine(state1 bigint[], state2 bigint[]) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'kam_nps_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.nps_combine(bigint[], bigint[]) IS
  'combine function of kam.nps and kam.nps_detail: adds two {detractors, passives, promoters} states';

CREATE FUNCTION kam.nps_final(state bigint[]) RETURNS double precision
    AS 'MODULE_PATHNAME', 'kam_nps_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.nps_final(bigint[]) IS
  'final function of kam.nps: 100*(promoters - detractors)/n, NULL when n = 0';

CREATE FUNCTION kam.nps_detail_final(state bigint[]) RETURNS kam.nps_summary
    AS 'MODULE_PATHNAME', 'kam_nps_detail_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.nps_detail_final(bigint[]) IS
  'final function of kam.nps_detail: the kam.nps_summary of a state, NULL when n = 0';

CREATE AGGREGATE kam.nps(score integer) (
    SFUNC = kam.nps_accum,
    STYPE = bigint[],
    COMBINEFUNC = kam.nps_combine,
    FINALFUNC = kam.nps_final,
    INITCOND = '{0,0,0}',
    MSFUNC = kam.nps_accum,
    MINVFUNC = kam.nps_retract,
    MSTYPE = bigint[],
    MFINALFUNC = kam.nps_final,
    MINITCOND = '{0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE kam.nps(integer) IS
  'Net Promoter Score of 0-10 answers: 100*(promoters 9-10 - detractors 0-6)/n, passives 7-8 in n; NULLs skipped';

CREATE AGGREGATE kam.nps_detail(score integer) (
    SFUNC = kam.nps_accum,
    STYPE = bigint[],
    COMBINEFUNC = kam.nps_combine,
    FINALFUNC = kam.nps_detail_final,
    INITCOND = '{0,0,0}',
    MSFUNC = kam.nps_accum,
    MINVFUNC = kam.nps_retract,
    MSTYPE = bigint[],
    MFINALFUNC = kam.nps_detail_final,
    MINITCOND = '{0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE kam.nps_detail(integer) IS
  'NPS of 0-10 answers with counts, standard error and adjusted-Wald 95% interval, as kam.nps_summary';

---------------------------------------------------------------- weighted NPS

CREATE FUNCTION kam.nps_weighted_accum(state double precision[], score integer, weight double precision)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'kam_nps_weighted_accum'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.nps_weighted_accum(double precision[], integer, double precision) IS
  'state function of kam.nps(score, weight): adds the weight to the answer''s class in {detractors, passives, promoters}';

CREATE FUNCTION kam.nps_weighted_combine(state1 double precision[], state2 double precision[])
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'kam_nps_weighted_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.nps_weighted_combine(double precision[], double precision[]) IS
  'combine function of kam.nps(score, weight): adds two class weight sums';

CREATE FUNCTION kam.nps_weighted_final(state double precision[]) RETURNS double precision
    AS 'MODULE_PATHNAME', 'kam_nps_weighted_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.nps_weighted_final(double precision[]) IS
  'final function of kam.nps(score, weight): 100*(w_promoters - w_detractors)/w_total, NULL when w_total = 0';

CREATE AGGREGATE kam.nps(score integer, weight double precision) (
    SFUNC = kam.nps_weighted_accum,
    STYPE = double precision[],
    COMBINEFUNC = kam.nps_weighted_combine,
    FINALFUNC = kam.nps_weighted_final,
    INITCOND = '{0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE kam.nps(integer, double precision) IS
  'weighted Net Promoter Score: 100*(sum of promoter weights - sum of detractor weights)/sum of weights; rows with a NULL score or weight skipped';

------------------------------------------------------------ two-sample test

CREATE FUNCTION kam.nps_test(promoters1 bigint, passives1 bigint, detractors1 bigint,
                             promoters2 bigint, passives2 bigint, detractors2 bigint)
    RETURNS kam.nps_test_result
    AS 'MODULE_PATHNAME', 'kam_nps_test_counts'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.nps_test(bigint, bigint, bigint, bigint, bigint, bigint) IS
  'two-sample Wald test of NPS_1 - NPS_2 from class counts; NULL if a sample is empty';

CREATE FUNCTION kam.nps_test(sample1 kam.nps_summary, sample2 kam.nps_summary)
    RETURNS kam.nps_test_result
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN kam.nps_test(sample1.promoters, sample1.passives, sample1.detractors,
                        sample2.promoters, sample2.passives, sample2.detractors);
COMMENT ON FUNCTION kam.nps_test(kam.nps_summary, kam.nps_summary) IS
  'two-sample Wald test of NPS_1 - NPS_2 from two kam.nps_detail results (uses their class counts)';

------------------------------------------------------------------------ CSAT

CREATE FUNCTION kam.csat_accum(state bigint[], score integer) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'kam_csat_accum'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.csat_accum(bigint[], integer) IS
  'state function of kam.csat(score): counts a 1-5 answer into {scale_max, n, satisfied}';

CREATE FUNCTION kam.csat_accum(state bigint[], score integer, scale_max integer) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'kam_csat_scale_accum'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.csat_accum(bigint[], integer, integer) IS
  'state function of kam.csat(score, scale_max): counts a 1..scale_max answer into {scale_max, n, satisfied}';

CREATE FUNCTION kam.csat_retract(state bigint[], score integer) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'kam_csat_retract'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.csat_retract(bigint[], integer) IS
  'inverse state function of kam.csat(score) in moving window frames: removes a 1-5 answer';

CREATE FUNCTION kam.csat_retract(state bigint[], score integer, scale_max integer) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'kam_csat_scale_retract'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.csat_retract(bigint[], integer, integer) IS
  'inverse state function of kam.csat(score, scale_max) in moving window frames: removes a 1..scale_max answer';

CREATE FUNCTION kam.csat_combine(state1 bigint[], state2 bigint[]) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'kam_csat_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.csat_combine(bigint[], bigint[]) IS
  'combine function of the csat aggregates: adds two {scale_max, n, satisfied} states of the same scale';

CREATE FUNCTION kam.csat_final(state bigint[]) RETURNS double precision
    AS 'MODULE_PATHNAME', 'kam_csat_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.csat_final(bigint[]) IS
  'final function of kam.csat: 100*satisfied/n, NULL when n = 0';

CREATE FUNCTION kam.csat_detail_final(state bigint[]) RETURNS kam.csat_summary
    AS 'MODULE_PATHNAME', 'kam_csat_detail_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.csat_detail_final(bigint[]) IS
  'final function of kam.csat_detail: the kam.csat_summary of a state, NULL when n = 0';

CREATE AGGREGATE kam.csat(score integer) (
    SFUNC = kam.csat_accum,
    STYPE = bigint[],
    COMBINEFUNC = kam.csat_combine,
    FINALFUNC = kam.csat_final,
    INITCOND = '{5,0,0}',
    MSFUNC = kam.csat_accum,
    MINVFUNC = kam.csat_retract,
    MSTYPE = bigint[],
    MFINALFUNC = kam.csat_final,
    MINITCOND = '{5,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE kam.csat(integer) IS
  'CSAT of 1-5 answers: percent of answers 4 or 5; NULLs skipped';

CREATE AGGREGATE kam.csat(score integer, scale_max integer) (
    SFUNC = kam.csat_accum,
    STYPE = bigint[],
    COMBINEFUNC = kam.csat_combine,
    FINALFUNC = kam.csat_final,
    INITCOND = '{0,0,0}',
    MSFUNC = kam.csat_accum,
    MINVFUNC = kam.csat_retract,
    MSTYPE = bigint[],
    MFINALFUNC = kam.csat_final,
    MINITCOND = '{0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE kam.csat(integer, integer) IS
  'CSAT of 1..scale_max answers (scale_max 3..1000, the same in every row): percent of the top two answers';

CREATE AGGREGATE kam.csat_detail(score integer) (
    SFUNC = kam.csat_accum,
    STYPE = bigint[],
    COMBINEFUNC = kam.csat_combine,
    FINALFUNC = kam.csat_detail_final,
    INITCOND = '{5,0,0}',
    MSFUNC = kam.csat_accum,
    MINVFUNC = kam.csat_retract,
    MSTYPE = bigint[],
    MFINALFUNC = kam.csat_detail_final,
    MINITCOND = '{5,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE kam.csat_detail(integer) IS
  'CSAT of 1-5 answers with its Wilson 95% interval, as kam.csat_summary';

CREATE AGGREGATE kam.csat_detail(score integer, scale_max integer) (
    SFUNC = kam.csat_accum,
    STYPE = bigint[],
    COMBINEFUNC = kam.csat_combine,
    FINALFUNC = kam.csat_detail_final,
    INITCOND = '{0,0,0}',
    MSFUNC = kam.csat_accum,
    MINVFUNC = kam.csat_retract,
    MSTYPE = bigint[],
    MFINALFUNC = kam.csat_detail_final,
    MINITCOND = '{0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE kam.csat_detail(integer, integer) IS
  'CSAT of 1..scale_max answers with its Wilson 95% interval, as kam.csat_summary';

------------------------------------------------------------------------- CES

CREATE FUNCTION kam.ces_accum(state bigint[], score integer) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'kam_ces_accum'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.ces_accum(bigint[], integer) IS
  'state function of kam.ces and kam.ces_detail: counts a 1-7 answer into the counts of answers 1..7';

CREATE FUNCTION kam.ces_retract(state bigint[], score integer) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'kam_ces_retract'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.ces_retract(bigint[], integer) IS
  'inverse state function of kam.ces and kam.ces_detail in moving window frames: removes a 1-7 answer';

CREATE FUNCTION kam.ces_combine(state1 bigint[], state2 bigint[]) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'kam_ces_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.ces_combine(bigint[], bigint[]) IS
  'combine function of kam.ces and kam.ces_detail: adds two answer-count states';

CREATE FUNCTION kam.ces_final(state bigint[]) RETURNS double precision
    AS 'MODULE_PATHNAME', 'kam_ces_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.ces_final(bigint[]) IS
  'final function of kam.ces: the mean answer, NULL when n = 0';

CREATE FUNCTION kam.ces_detail_final(state bigint[]) RETURNS kam.ces_summary
    AS 'MODULE_PATHNAME', 'kam_ces_detail_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.ces_detail_final(bigint[]) IS
  'final function of kam.ces_detail: the kam.ces_summary of a state, NULL when n = 0';

CREATE AGGREGATE kam.ces(score integer) (
    SFUNC = kam.ces_accum,
    STYPE = bigint[],
    COMBINEFUNC = kam.ces_combine,
    FINALFUNC = kam.ces_final,
    INITCOND = '{0,0,0,0,0,0,0}',
    MSFUNC = kam.ces_accum,
    MINVFUNC = kam.ces_retract,
    MSTYPE = bigint[],
    MFINALFUNC = kam.ces_final,
    MINITCOND = '{0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE kam.ces(integer) IS
  'Customer Effort Score (CES 2.0, 1 = strongly disagree .. 7 = strongly agree it was easy): mean answer; NULLs skipped';

CREATE AGGREGATE kam.ces_detail(score integer) (
    SFUNC = kam.ces_accum,
    STYPE = bigint[],
    COMBINEFUNC = kam.ces_combine,
    FINALFUNC = kam.ces_detail_final,
    INITCOND = '{0,0,0,0,0,0,0}',
    MSFUNC = kam.ces_accum,
    MINVFUNC = kam.ces_retract,
    MSTYPE = bigint[],
    MFINALFUNC = kam.ces_detail_final,
    MINITCOND = '{0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE kam.ces_detail(integer) IS
  'CES 2.0 mean with standard deviation, 95% interval and percent of answers 1-3, 4-5, 6-7, as kam.ces_summary';

-- =====================================================================
-- Master data: accounts, their teams, contacts, orders, survey answers.
-- Every table with user data or configuration is registered with
-- pg_extension_config_dump (with its identity sequence), so pg_dump keeps it.
-- Foreign keys restrict deletion: an account with history is closed
-- (status 'lost'), not deleted.
-- =====================================================================

CREATE TABLE kam.account (
    account_id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    external_ref          text UNIQUE CHECK (btrim(external_ref) <> ''),
    name                  text NOT NULL CHECK (btrim(name) <> ''),
    industry              text,
    region                text,
    country               text,
    parent_account_id     bigint REFERENCES kam.account,
    strategic_importance  smallint NOT NULL DEFAULT 3 CHECK (strategic_importance BETWEEN 1 AND 5),
    status                text NOT NULL DEFAULT 'active'
                          CHECK (status IN ('prospect', 'active', 'dormant', 'lost')),
    acquired_on           date CHECK (acquired_on BETWEEN '1900-01-01' AND '2999-12-31'),
    lost_on               date CHECK (lost_on BETWEEN '1900-01-01' AND '2999-12-31'),
    created_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT account_not_own_parent CHECK (parent_account_id <> account_id),
    CONSTRAINT account_lost_after_acquired CHECK (lost_on >= acquired_on)
);
COMMENT ON TABLE kam.account IS
  'key accounts: one row per customer company; parent_account_id groups companies; strategic_importance 1 (low) .. 5 (critical)';
CREATE INDEX account_parent_idx ON kam.account (parent_account_id);
COMMENT ON INDEX kam.account_parent_idx IS 'finds the subsidiaries of a parent account';

-- SECURITY DEFINER, and why: the cycle check must walk parents that row-level
-- security hides from the writer (another team's parent company); it reads
-- only kam.account, reveals nothing but the ids the writer gave, and pins
-- its search_path.
CREATE FUNCTION kam.account_check_parent() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- walk up from the new parent; reaching the account itself is a cycle
    IF NEW.parent_account_id IS NOT NULL AND EXISTS (
        WITH RECURSIVE up(id, depth) AS (
            SELECT NEW.parent_account_id, 1
            UNION ALL
            SELECT a.parent_account_id, up.depth + 1
            FROM kam.account AS a JOIN up ON a.account_id = up.id
            WHERE a.parent_account_id IS NOT NULL AND up.depth < 1000)
        SELECT 1 FROM up WHERE id = NEW.account_id)
    THEN
        RAISE EXCEPTION 'account % cannot have parent %: that would make a cycle of parents',
            NEW.account_id, NEW.parent_account_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION kam.account_check_parent() IS
  'trigger function: rejects a parent_account_id that would make a cycle of parent accounts';
CREATE TRIGGER account_parent_no_cycle
    BEFORE INSERT OR UPDATE OF parent_account_id ON kam.account
    FOR EACH ROW EXECUTE FUNCTION kam.account_check_parent();
COMMENT ON TRIGGER account_parent_no_cycle ON kam.account IS 'keeps the parent hierarchy free of cycles';

CREATE TABLE kam.account_team (
    account_id  bigint NOT NULL REFERENCES kam.account,
    member      regrole NOT NULL,
    team_role   text NOT NULL CHECK (team_role IN ('owner', 'support', 'executive_sponsor')),
    PRIMARY KEY (account_id, member, team_role)
);
COMMENT ON TABLE kam.account_team IS
  'which database role serves which account, as owner, support or executive_sponsor; members of that role see the account''s rows';
CREATE UNIQUE INDEX account_team_one_owner ON kam.account_team (account_id) WHERE team_role = 'owner';
COMMENT ON INDEX kam.account_team_one_owner IS 'an account has at most one owner';
CREATE INDEX account_team_member_idx ON kam.account_team (member);
COMMENT ON INDEX kam.account_team_member_idx IS 'finds the accounts of a role (row-level security)';

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

CREATE TABLE kam.contact (
    contact_id    bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    account_id    bigint NOT NULL REFERENCES kam.account,
    name          text NOT NULL CHECK (btrim(name) <> ''),
    title         text,
    email         text CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    phone         text,
    buying_roles  text[] NOT NULL DEFAULT '{}'
                  CHECK (buying_roles <@ ARRAY['decider', 'influencer', 'buyer', 'user', 'gatekeeper',
                                               'initiator', 'champion', 'approver']),
    influence     smallint CHECK (influence BETWEEN 1 AND 5),
    active        boolean NOT NULL DEFAULT true,
    UNIQUE (contact_id, account_id),
    email_masked  text GENERATED ALWAYS AS (kam.mask_email(email)) STORED,
    phone_masked  text GENERATED ALWAYS AS (kam.mask_phone(phone)) STORED
);
COMMENT ON TABLE kam.contact IS
  'people at an account, their buying-centre roles (decider, influencer, buyer, user, gatekeeper, initiator, champion, approver) and influence 1..5';
CREATE INDEX contact_account_idx ON kam.contact (account_id);
COMMENT ON INDEX kam.contact_account_idx IS 'finds the contacts of an account';
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

CREATE FUNCTION kam.currency_code(currency text) RETURNS smallint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN ((ascii(substr(currency, 1, 1)) - 65) * 676 + (ascii(substr(currency, 2, 1)) - 65) * 26
            + ascii(substr(currency, 3, 1)) - 65)::smallint;
COMMENT ON FUNCTION kam.currency_code(text) IS
  'a three-letter upper-case currency code as a number 0..17575 (AAA = 0), for fast comparisons';

CREATE TABLE kam.sales_order (
    order_id      bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    account_id    bigint NOT NULL REFERENCES kam.account,
    order_ref     text CHECK (btrim(order_ref) <> ''),
    order_date    date NOT NULL CHECK (order_date BETWEEN '1900-01-01' AND '2999-12-31'),
    amount        numeric NOT NULL CHECK (amount > -1e14 AND amount < 1e14 AND amount = round(amount, 4)),
    margin        numeric CHECK (margin > -1e14 AND margin < 1e14 AND margin = round(margin, 4)),
    currency      text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    -- exact integer copies in units of 1/10000, for fast exact sums
    -- (NULL for a value out of range, which the checks above then reject)
    amount_units  bigint GENERATED ALWAYS AS (
                      CASE WHEN amount > -1e14 AND amount < 1e14 THEN (amount * 10000)::bigint END) STORED,
    margin_units  bigint GENERATED ALWAYS AS (
                      CASE WHEN margin > -1e14 AND margin < 1e14 THEN (margin * 10000)::bigint END) STORED,
    currency_code smallint GENERATED ALWAYS AS (
                      CASE WHEN currency ~ '^[A-Z]{3}$' THEN kam.currency_code(currency) END) STORED,
    UNIQUE (account_id, order_ref)
);
COMMENT ON TABLE kam.sales_order IS
  'orders: one row per order (sum order lines per order before loading); amount and margin in currency (ISO 4217), at most 4 decimals, |x| < 1e14';
CREATE INDEX sales_order_account_date_idx ON kam.sales_order (account_id, order_date);
COMMENT ON INDEX kam.sales_order_account_date_idx IS 'an account''s orders by date';

CREATE TABLE kam.survey_response (
    response_id   bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    account_id    bigint NOT NULL REFERENCES kam.account,
    contact_id    bigint,
    responded_on  date NOT NULL CHECK (responded_on BETWEEN '1900-01-01' AND '2999-12-31'),
    kind          text NOT NULL CHECK (kind IN ('nps', 'csat', 'ces')),
    score         integer NOT NULL,
    comment       text,
    FOREIGN KEY (contact_id, account_id) REFERENCES kam.contact (contact_id, account_id),
    CONSTRAINT survey_response_score_on_scale CHECK (
        CASE kind WHEN 'nps' THEN score BETWEEN 0 AND 10
                  WHEN 'csat' THEN score BETWEEN 1 AND 5
                  ELSE score BETWEEN 1 AND 7 END)
);
COMMENT ON TABLE kam.survey_response IS
  'survey answers: NPS 0-10, CSAT 1-5, CES 1-7, optionally by a contact of the same account';
CREATE INDEX survey_response_account_idx ON kam.survey_response (account_id, kind, responded_on);
COMMENT ON INDEX kam.survey_response_account_idx IS 'an account''s answers by kind and date';

-- =====================================================================
-- Configuration, with effective dates: the rows in force on a date are
-- those with the latest valid_from on or before it.  No row in force:
-- the built-in default (README.md).  recorded_at / recorded_by audit
-- who changed a rule and when.
-- =====================================================================

CREATE TABLE kam.setting (
    name         text NOT NULL CHECK (name IN ('reporting_currency', 'clv_discount_rate', 'clv_margin_share',
                                           'clv_horizon_months', 'churn_high_below', 'churn_medium_below',
                                           'strength_half_life_days', 'engagement_window_days',
                                           'detractor_followup_days', 'need_open_alert_days', 'index_drop_alert')),
    valid_from   date NOT NULL,
    value        text NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    recorded_by  name NOT NULL DEFAULT current_user,
    PRIMARY KEY (name, valid_from),
    CONSTRAINT setting_value_valid CHECK (
        CASE name WHEN 'reporting_currency' THEN value ~ '^[A-Z]{3}$'
                  WHEN 'clv_discount_rate' THEN value ~ '^-?[0-9]+(\.[0-9]+)?$' AND value::numeric > -1
                  WHEN 'clv_horizon_months' THEN value ~ '^[0-9]+$' AND value::numeric BETWEEN 1 AND 1200
                  WHEN 'strength_half_life_days' THEN value ~ '^[0-9]+(\.[0-9]+)?$' AND value::numeric > 0 AND value::numeric <= 36500
                  WHEN 'engagement_window_days' THEN value ~ '^[0-9]+$' AND value::numeric BETWEEN 1 AND 36500
                  WHEN 'detractor_followup_days' THEN value ~ '^[0-9]+$' AND value::numeric BETWEEN 1 AND 3650
                  WHEN 'need_open_alert_days' THEN value ~ '^[0-9]+$' AND value::numeric BETWEEN 1 AND 3650
                  WHEN 'index_drop_alert' THEN value ~ '^[0-9]+(\.[0-9]+)?$' AND value::numeric BETWEEN 0 AND 100
                  ELSE value ~ '^[0-9]+(\.[0-9]+)?$' AND value::numeric BETWEEN 0 AND 1
        END)
);
COMMENT ON TABLE kam.setting IS
  'dated settings: reporting_currency (default USD), clv_discount_rate per year (default 0.10), clv_margin_share (default 1), clv_horizon_months (default 12), churn_high_below (P(alive), default 0.3), churn_medium_below (default 0.7), strength_half_life_days (default 90), engagement_window_days (default 90), detractor_followup_days (7), need_open_alert_days (30), index_drop_alert (10 points)';

CREATE TABLE kam.exchange_rate (
    currency     text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    valid_from   date NOT NULL,
    rate         numeric NOT NULL CHECK (rate > 0 AND rate < 1e15),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    recorded_by  name NOT NULL DEFAULT current_user,
    PRIMARY KEY (currency, valid_from)
);
COMMENT ON TABLE kam.exchange_rate IS
  'units of the reporting currency per unit of currency, from valid_from on; converts orders in other currencies';

CREATE TABLE kam.rfm_cut (
    dimension    text NOT NULL CHECK (dimension IN ('recency', 'frequency', 'monetary')),
    valid_from   date NOT NULL,
    cuts         double precision[] NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    recorded_by  name NOT NULL DEFAULT current_user,
    PRIMARY KEY (dimension, valid_from),
    CONSTRAINT rfm_cut_four_ascending CHECK (
        cardinality(cuts) = 4 AND array_ndims(cuts) = 1 AND array_position(cuts, NULL) IS NULL
        AND cuts[1] <= cuts[2] AND cuts[2] <= cuts[3] AND cuts[3] <= cuts[4]
        AND cuts[1] > '-Infinity' AND cuts[4] < 'Infinity')
);
COMMENT ON TABLE kam.rfm_cut IS
  'user-defined RFM cut points (4 ascending) replacing the quintiles of one dimension; recency cuts are in days';

CREATE TABLE kam.rfm_segment_rule (
    valid_from   date NOT NULL,
    priority     integer NOT NULL,
    segment      text NOT NULL CHECK (btrim(segment) <> ''),
    r_min        smallint NOT NULL DEFAULT 1,
    r_max        smallint NOT NULL DEFAULT 5,
    f_min        smallint NOT NULL DEFAULT 1,
    f_max        smallint NOT NULL DEFAULT 5,
    m_min        smallint NOT NULL DEFAULT 1,
    m_max        smallint NOT NULL DEFAULT 5,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    recorded_by  name NOT NULL DEFAULT current_user,
    PRIMARY KEY (valid_from, priority),
    CONSTRAINT rfm_segment_rule_ranges CHECK (
        1 <= r_min AND r_min <= r_max AND r_max <= 5 AND
        1 <= f_min AND f_min <= f_max AND f_max <= 5 AND
        1 <= m_min AND m_min <= m_max AND m_max <= 5)
);
COMMENT ON TABLE kam.rfm_segment_rule IS
  'a user segment map replacing the built-in R/F grid from valid_from on: the first row by priority whose ranges hold the R/F/M scores names the segment';

CREATE TABLE kam.abc_rule (
    valid_from   date PRIMARY KEY,
    a_cutoff     numeric NOT NULL,
    b_cutoff     numeric NOT NULL,
    basis        text NOT NULL DEFAULT 'revenue' CHECK (basis IN ('revenue', 'margin')),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    recorded_by  name NOT NULL DEFAULT current_user,
    CONSTRAINT abc_rule_cutoffs CHECK (0 < a_cutoff AND a_cutoff <= b_cutoff AND b_cutoff <= 1)
);
COMMENT ON TABLE kam.abc_rule IS
  'ABC cut-offs of the cumulative share (default 0.80 / 0.95) and the basis (revenue or margin of the last 12 months) from valid_from on';

CREATE TABLE kam.classification_rule (
    valid_from         date NOT NULL,
    priority           integer NOT NULL,
    class              text NOT NULL CHECK (class IN ('core', 'important', 'general')),
    abc_classes        text[] CHECK (abc_classes <@ ARRAY['A', 'B', 'C'] AND cardinality(abc_classes) > 0),
    min_importance     smallint CHECK (min_importance BETWEEN 1 AND 5),
    max_importance     smallint CHECK (max_importance BETWEEN 1 AND 5),
    min_revenue_share  numeric CHECK (min_revenue_share BETWEEN 0 AND 1),
    description        text NOT NULL CHECK (btrim(description) <> ''),
    recorded_at        timestamptz NOT NULL DEFAULT now(),
    recorded_by        name NOT NULL DEFAULT current_user,
    PRIMARY KEY (valid_from, priority),
    CONSTRAINT classification_rule_importance CHECK (min_importance <= max_importance)
);
COMMENT ON TABLE kam.classification_rule IS
  'core / important / general rules from valid_from on: the first row by priority whose conditions (NULL = any) all hold decides';

-- one call per statement: each call updates the extension's catalog row
SELECT pg_catalog.pg_extension_config_dump('kam.account', '');
SELECT pg_catalog.pg_extension_config_dump('kam.account_team', '');
SELECT pg_catalog.pg_extension_config_dump('kam.contact', '');
SELECT pg_catalog.pg_extension_config_dump('kam.sales_order', '');
SELECT pg_catalog.pg_extension_config_dump('kam.survey_response', '');
SELECT pg_catalog.pg_extension_config_dump('kam.setting', '');
SELECT pg_catalog.pg_extension_config_dump('kam.exchange_rate', '');
SELECT pg_catalog.pg_extension_config_dump('kam.rfm_cut', '');
SELECT pg_catalog.pg_extension_config_dump('kam.rfm_segment_rule', '');
SELECT pg_catalog.pg_extension_config_dump('kam.abc_rule', '');
SELECT pg_catalog.pg_extension_config_dump('kam.classification_rule', '');
SELECT pg_catalog.pg_extension_config_dump('kam.account_account_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kam.contact_contact_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kam.sales_order_order_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kam.survey_response_response_id_seq', '');


COMMENT ON SEQUENCE kam.account_account_id_seq IS 'identity of kam.account';
COMMENT ON SEQUENCE kam.contact_contact_id_seq IS 'identity of kam.contact';
COMMENT ON SEQUENCE kam.sales_order_order_id_seq IS 'identity of kam.sales_order';
COMMENT ON SEQUENCE kam.survey_response_response_id_seq IS 'identity of kam.survey_response';

-- =====================================================================
-- Row-level security: a role sees the rows of the accounts whose team it
-- belongs to (directly or through role membership); members of a role
-- named kam_admin (which the administrator creates) see and change all.
-- Team rows themselves: a role sees its own assignments; only kam_admin
-- assigns teams.
-- =====================================================================

CREATE FUNCTION kam.is_admin() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN EXISTS (SELECT 1 FROM pg_roles
                   WHERE rolname = 'kam_admin' AND pg_has_role(current_user, oid, 'MEMBER'));
COMMENT ON FUNCTION kam.is_admin() IS
  'true when the current role is a member of a role named kam_admin (superusers are members of every role)';

CREATE FUNCTION kam.my_roles() RETURNS SETOF oid
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT oid FROM pg_roles WHERE pg_has_role(current_user, oid, 'MEMBER');
END;
COMMENT ON FUNCTION kam.my_roles() IS 'the roles the current role is a member of, itself included';

ALTER TABLE kam.account_team ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_assignments ON kam.account_team FOR SELECT
    USING ((SELECT kam.is_admin()) OR member IN (SELECT kam.my_roles()));
COMMENT ON POLICY own_assignments ON kam.account_team IS
  'a role sees its own team assignments (and those of the roles it belongs to); kam_admin sees all';
CREATE POLICY admin_assigns ON kam.account_team FOR ALL
    USING ((SELECT kam.is_admin())) WITH CHECK ((SELECT kam.is_admin()));
COMMENT ON POLICY admin_assigns ON kam.account_team IS 'only kam_admin assigns roles to account teams';

CREATE FUNCTION kam.enable_team_security(account_table regclass) RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- one policy for every account-scoped table: the rows of the accounts whose
    -- team the role belongs to (directly or through membership); kam_admin: all
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', account_table);
    EXECUTE format($p$CREATE POLICY team_accounts ON %s FOR ALL
        USING ((SELECT kam.is_admin()) OR account_id IN (SELECT team.account_id FROM kam.account_team AS team))
        WITH CHECK ((SELECT kam.is_admin()) OR account_id IN (SELECT team.account_id FROM kam.account_team AS team))$p$,
        account_table);
    EXECUTE format($c$COMMENT ON POLICY team_accounts ON %s IS
        'rows of the accounts whose team the role belongs to (directly or through membership); kam_admin: all'$c$,
        account_table);
END $$;
COMMENT ON FUNCTION kam.enable_team_security(regclass) IS
  'enables row-level security on an account-scoped kam table with the team_accounts policy (used by the install and upgrade scripts)';
REVOKE ALL ON FUNCTION kam.enable_team_security(regclass) FROM PUBLIC;

SELECT kam.enable_team_security('kam.account');
SELECT kam.enable_team_security('kam.contact');
SELECT kam.enable_team_security('kam.sales_order');
SELECT kam.enable_team_security('kam.survey_response');

-- =====================================================================
-- Customer value: C functions
-- =====================================================================

CREATE FUNCTION kam.rfm_tier(r integer, f integer, m integer) RETURNS text
    AS 'MODULE_PATHNAME', 'kam_rfm_tier'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.rfm_tier(integer, integer, integer) IS
  'RFM segment of scores 1..5 by the widely used R/F grid (Champions, Loyal Customers, ..., Hibernating); M is checked but not used';

CREATE FUNCTION kam.quintile_score(rank bigint, n bigint) RETURNS integer
    AS 'MODULE_PATHNAME', 'kam_quintile_score'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.quintile_score(bigint, bigint) IS
  'quintile score 1..5 of the value with SQL rank() = rank among n: 1 + floor(5 (rank - 1) / n); equal values share a rank and so a score';

CREATE FUNCTION kam.cut_score(value double precision, cuts double precision[]) RETURNS integer
    AS 'MODULE_PATHNAME', 'kam_cut_score'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.cut_score(double precision, double precision[]) IS
  'score of a value against ascending cut points: 1 + the number of cut points <= value';

CREATE FUNCTION kam.abc_class(share_before double precision, a_cutoff double precision DEFAULT 0.8,
                              b_cutoff double precision DEFAULT 0.95) RETURNS text
    AS 'MODULE_PATHNAME', 'kam_abc_class'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.abc_class(double precision, double precision, double precision) IS
  'ABC class of an account whose predecessors in descending order of value hold share_before of the total: A below a_cutoff, B below b_cutoff, else C';

CREATE FUNCTION kam.clv(margin double precision, retention double precision, discount double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'kam_clv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.clv(double precision, double precision, double precision) IS
  'closed-form customer lifetime value over an infinite horizon: margin * retention / (1 + discount - retention)';

CREATE FUNCTION kam.clv(margin double precision, retention double precision, discount double precision,
                        periods integer)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'kam_clv_periods'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.clv(double precision, double precision, double precision, integer) IS
  'closed-form customer lifetime value over periods: sum over t = 1..periods of margin * retention^t / (1 + discount)^t';

-- =====================================================================
-- Customer value: settings, conversion, the account_value function/view
-- =====================================================================

CREATE TYPE kam.order_totals AS (
    first_order   date,
    last_order    date,
    orders_total  bigint,
    orders_12m    bigint,
    orders_prior  bigint,
    revenue_12m   numeric,
    revenue_prior numeric,
    margin_12m    numeric,
    margin_prior  numeric
);
COMMENT ON TYPE kam.order_totals IS
  'an account''s orders as of a day: first and last order, counts and sums over the last 12 months and the 12 before (a margin is NULL unless every order of its window has one)';

CREATE FUNCTION kam.order_summary_accum(state bigint[], order_date date, amount_units bigint,
                                        margin_units bigint, as_of date)
    RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'kam_order_summary_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kam.order_summary_accum(bigint[], date, bigint, bigint, date) IS
  'state function of kam.order_summary: adds one order (amounts in units of 1/10000) to the 14-slot summary state';

CREATE FUNCTION kam.order_summary_combine(state1 bigint[], state2 bigint[]) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'kam_order_summary_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.order_summary_combine(bigint[], bigint[]) IS
  'combine function of kam.order_summary: merges two summaries of the same day';

CREATE FUNCTION kam.order_summary_final(state bigint[]) RETURNS kam.order_totals
    AS 'MODULE_PATHNAME', 'kam_order_summary_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.order_summary_final(bigint[]) IS
  'final function of kam.order_summary: the kam.order_totals of a state, NULL without orders';

CREATE AGGREGATE kam.order_summary(order_date date, amount_units bigint, margin_units bigint, as_of date) (
    SFUNC = kam.order_summary_accum,
    STYPE = bigint[],
    COMBINEFUNC = kam.order_summary_combine,
    FINALFUNC = kam.order_summary_final,
    INITCOND = '{-9223372036854775808,-9223372036854775808,-9223372036854775808,-9223372036854775808,-9223372036854775808,0,0,0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE kam.order_summary(date, bigint, bigint, date) IS
  'one pass over an account''s orders as of a day (amounts in units of 1/10000, as kam.sales_order.amount_units): kam.order_totals; later orders are ignored';

CREATE FUNCTION kam.setting_value(setting text, as_of date) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN (SELECT s.value FROM kam.setting AS s
            WHERE s.name = setting AND s.valid_from <= as_of
            ORDER BY s.valid_from DESC LIMIT 1);
COMMENT ON FUNCTION kam.setting_value(text, date) IS
  'the value of a dated setting in force on as_of (NULL: none, the built-in default applies)';

CREATE FUNCTION kam.convert_amount(amount numeric, currency text, on_date date, reporting_currency text)
    RETURNS numeric
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    units numeric;
BEGIN
    IF amount IS NULL THEN
        RETURN NULL;
    END IF;
    IF NOT (amount > '-Infinity' AND amount < 'Infinity') THEN  -- NaN sorts above Infinity
        RAISE EXCEPTION 'amount % is not allowed: amounts must be finite numbers', amount
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF currency = reporting_currency THEN
        RETURN amount;
    END IF;
    SELECT r.rate INTO units FROM kam.exchange_rate AS r
    WHERE r.currency = convert_amount.currency AND r.valid_from <= on_date
    ORDER BY r.valid_from DESC LIMIT 1;
    IF units IS NULL THEN
        RAISE EXCEPTION 'no exchange rate for % on or before %: add one to kam.exchange_rate (units of % per %)',
            currency, on_date, reporting_currency, currency
            USING ERRCODE = 'no_data_found';
    END IF;
    RETURN amount * units;
END $$;
COMMENT ON FUNCTION kam.convert_amount(numeric, text, date, text) IS
  'an amount in the reporting currency at the rate in force on on_date; an error if kam.exchange_rate has none';

CREATE AGGREGATE kam.order_summary_state(order_date date, amount_units bigint, margin_units bigint, as_of date) (
    SFUNC = kam.order_summary_accum,
    STYPE = bigint[],
    COMBINEFUNC = kam.order_summary_combine,
    INITCOND = '{-9223372036854775808,-9223372036854775808,-9223372036854775808,-9223372036854775808,-9223372036854775808,0,0,0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE kam.order_summary_state(date, bigint, bigint, date) IS
  'kam.order_summary without its final function: the 14-slot state itself (kam.account_value_as_of takes the same steps per order itself)';

CREATE TYPE kam.value_parameters AS (
    currency  text,
    discount  double precision,
    r_cuts    double precision[],
    f_cuts    double precision[],
    m_cuts    double precision[],
    a_cutoff  double precision,
    b_cutoff  double precision,
    basis     text,
    map_from  date
);
COMMENT ON TYPE kam.value_parameters IS
  'the settings and rules of the value analysis in force on a day (kam.value_parameters)';

CREATE FUNCTION kam.value_parameters(as_of date) RETURNS kam.value_parameters
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT coalesce(kam.setting_value('reporting_currency', as_of), 'USD'),
           coalesce(kam.setting_value('clv_discount_rate', as_of)::double precision, 0.10),
           (SELECT c.cuts FROM kam.rfm_cut AS c WHERE c.dimension = 'recency' AND c.valid_from <= as_of
            ORDER BY c.valid_from DESC LIMIT 1),
           (SELECT c.cuts FROM kam.rfm_cut AS c WHERE c.dimension = 'frequency' AND c.valid_from <= as_of
            ORDER BY c.valid_from DESC LIMIT 1),
           (SELECT c.cuts FROM kam.rfm_cut AS c WHERE c.dimension = 'monetary' AND c.valid_from <= as_of
            ORDER BY c.valid_from DESC LIMIT 1),
           coalesce(r.a_cutoff, 0.80)::double precision,
           coalesce(r.b_cutoff, 0.95)::double precision,
           coalesce(r.basis, 'revenue'),
           (SELECT max(m.valid_from) FROM kam.rfm_segment_rule AS m WHERE m.valid_from <= as_of)
    FROM (SELECT 1) AS one
    LEFT JOIN LATERAL (SELECT x.a_cutoff, x.b_cutoff, x.basis FROM kam.abc_rule AS x
                       WHERE x.valid_from <= as_of ORDER BY x.valid_from DESC LIMIT 1) AS r ON true;
END;
COMMENT ON FUNCTION kam.value_parameters(date) IS
  'the settings and rules of the value analysis in force on as_of, built-in defaults where none is';

-- The CLV calibration's pass over the orders (kam.clv_calibration, and
-- kam.account_standing_as_of for the day's review):
CREATE TYPE kam.purchase_days_result AS (
    purchase_days   bigint,
    first_day       date,
    last_day        date,
    amount          numeric,
    repeat_amount   numeric
);
COMMENT ON TYPE kam.purchase_days_result IS
  'an account''s distinct purchase days, its first and last, the sum of its amounts and of those after its first day';

CREATE FUNCTION kam.purchase_days_accum(state bigint[], order_date date, amount_units bigint)
    RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'kam_purchase_days_accum'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.purchase_days_accum(bigint[], date, bigint) IS
  'state function of kam.purchase_days: adds an order (its day once, its amount in units of 1/10000 to the sums)';

CREATE FUNCTION kam.purchase_days_combine(state1 bigint[], state2 bigint[])
    RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'kam_purchase_days_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.purchase_days_combine(bigint[], bigint[]) IS
  'combine function of kam.purchase_days: the union of the days, the sums added';

CREATE FUNCTION kam.purchase_days_final(state bigint[])
    RETURNS kam.purchase_days_result
    AS 'MODULE_PATHNAME', 'kam_purchase_days_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.purchase_days_final(bigint[]) IS
  'final function of kam.purchase_days: NULL without orders';

CREATE AGGREGATE kam.purchase_days(order_date date, amount_units bigint) (
    SFUNC = kam.purchase_days_accum,
    STYPE = bigint[],
    COMBINEFUNC = kam.purchase_days_combine,
    FINALFUNC = kam.purchase_days_final,
    INITCOND = '{0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE kam.purchase_days(date, bigint) IS
  'one pass over an account''s orders in any order (amounts in units of 1/10000, as kam.sales_order.amount_units): its distinct purchase days, first and last, and the sums of all amounts and of those after the first day (kam.clv_calibration); state {days, total, first day''s total, the days ascending, unused slots}';

CREATE FUNCTION kam.account_value_as_of(as_of date)
RETURNS TABLE (
    account_id            bigint,
    account_name          text,
    as_of                 date,
    revenue_12m           numeric,
    revenue_prior_12m     numeric,
    revenue_growth        double precision,
    margin_12m            numeric,
    margin_prior_12m      numeric,
    orders_12m            integer,
    orders_total          integer,
    first_order_date      date,
    last_order_date       date,
    recency_days          integer,
    frequency             integer,
    monetary              numeric,
    average_order_value   numeric,
    r_score               integer,
    f_score               integer,
    m_score               integer,
    rfm_cell              text,
    rfm_segment           text,
    abc_basis             text,
    abc_share             double precision,
    abc_cumulative_share  double precision,
    abc_class             text,
    retention_rate        double precision,
    clv                   double precision
)
    AS 'MODULE_PATHNAME', 'kam_account_value_as_of'
    LANGUAGE C STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION kam.account_value_as_of(date) IS
  'one row per account as of a date: revenue, margin, orders, recency, RFM scores and segment, ABC class, simple CLV (definitions: README)';

CREATE FUNCTION kam.account_standing_as_of(as_of date, with_purchase_days boolean DEFAULT false)
RETURNS TABLE (
    account_id            bigint,
    account_name          text,
    as_of                 date,
    revenue_12m           numeric,
    revenue_prior_12m     numeric,
    revenue_growth        double precision,
    margin_12m            numeric,
    margin_prior_12m      numeric,
    orders_12m            integer,
    orders_total          integer,
    first_order_date      date,
    last_order_date       date,
    recency_days          integer,
    frequency             integer,
    monetary              numeric,
    average_order_value   numeric,
    r_score               integer,
    f_score               integer,
    m_score               integer,
    rfm_cell              text,
    rfm_segment           text,
    abc_basis             text,
    abc_share             double precision,
    abc_cumulative_share  double precision,
    abc_class             text,
    retention_rate        double precision,
    clv                   double precision,
    status                text,
    strategic_importance  smallint,
    revenue_share         numeric,
    purchase_days         kam.purchase_days_result
)
    AS 'MODULE_PATHNAME', 'kam_account_standing_as_of'
    LANGUAGE C STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION kam.account_standing_as_of(date, boolean) IS
  'kam.account_value_as_of with each account''s status, strategic importance and revenue share (revenue_12m over the sum of the positive ones; NULL when none is positive): what the classification reads, in one pass; with_purchase_days: also its orders up to as_of by kam.purchase_days, as the CLV calibration counts them (NULL otherwise or without orders), from the same pass';

CREATE VIEW kam.account_value WITH (security_invoker = true) AS
    SELECT * FROM kam.account_value_as_of(current_date);
COMMENT ON VIEW kam.account_value IS 'kam.account_value_as_of(current_date): the value analysis of every account today';

-- =====================================================================
-- Classification: core / important / general
-- =====================================================================

CREATE FUNCTION kam.classified_accounts_as_of(as_of date, with_purchase_days boolean DEFAULT false)
RETURNS TABLE (
    account_id bigint, account_name text, status text, strategic_importance smallint,
    revenue_12m numeric, revenue_growth double precision, orders_12m integer, orders_total integer,
    first_order_date date, recency_days integer, rfm_segment text, abc_class text, retention_rate double precision,
    revenue_share numeric, class text, decided_by text, rule_priority integer, rule_valid_from date,
    purchase_days kam.purchase_days_result)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH user_version AS (
        SELECT max(r.valid_from) AS valid_from FROM kam.classification_rule AS r WHERE r.valid_from <= as_of
    ),
    rules AS MATERIALIZED (
        -- the user's rule set in force, or else kam's default rule set
        SELECT r.priority, r.class, r.abc_classes, r.min_importance, r.max_importance,
               r.min_revenue_share, r.description, r.valid_from
        FROM kam.classification_rule AS r JOIN user_version AS u ON r.valid_from = u.valid_from
        UNION ALL
        SELECT d.priority, d.class, d.abc_classes, d.min_importance, d.max_importance,
               d.min_revenue_share, d.description, NULL::date
        FROM (VALUES
            (1, 'core', ARRAY['A'], 3::smallint, NULL::smallint, NULL::numeric,
             'default rule 1: contribution class A and strategic importance at least 3'),
            (2, 'core', NULL, 5::smallint, NULL::smallint, NULL::numeric,
             'default rule 2: strategic importance 5 (critical), whatever the contribution'),
            (3, 'important', ARRAY['A', 'B'], NULL::smallint, NULL::smallint, NULL::numeric,
             'default rule 3: contribution class A or B'),
            (4, 'important', NULL, 4::smallint, NULL::smallint, NULL::numeric,
             'default rule 4: strategic importance at least 4'),
            (5, 'general', NULL, NULL::smallint, NULL::smallint, NULL::numeric,
             'default rule 5: every other account')
        ) AS d(priority, class, abc_classes, min_importance, max_importance, min_revenue_share, description)
        WHERE (SELECT u.valid_from FROM user_version AS u) IS NULL
    )
    SELECT v.account_id, v.account_name, v.status, v.strategic_importance, v.revenue_12m, v.revenue_growth,
           v.orders_12m, v.orders_total, v.first_order_date, v.recency_days, v.rfm_segment, v.abc_class,
           v.retention_rate, v.revenue_share, m.class, coalesce(m.description, 'no rule in force matched'),
           m.priority, m.valid_from, v.purchase_days
    FROM kam.account_standing_as_of(as_of, with_purchase_days) AS v
    -- the first rule that holds decides
    LEFT JOIN LATERAL (
        SELECT r.* FROM rules AS r
        WHERE (r.abc_classes IS NULL OR v.abc_class = ANY (r.abc_classes))
          AND (r.min_importance IS NULL OR v.strategic_importance >= r.min_importance)
          AND (r.max_importance IS NULL OR v.strategic_importance <= r.max_importance)
          AND (r.min_revenue_share IS NULL OR coalesce(v.revenue_share, 0) >= r.min_revenue_share)
        ORDER BY r.priority
        LIMIT 1) AS m ON true;
END;
COMMENT ON FUNCTION kam.classified_accounts_as_of(date, boolean) IS
  'per account as of a date: the account, the value-analysis figures the daily views use, its revenue share and its class by the rule set in force (or the default) with the deciding rule (the common start of the classification and the day''s review); with_purchase_days: also its purchase days up to as_of (kam.purchase_days), from the same pass over the orders';

CREATE FUNCTION kam.account_classification_as_of(as_of date)
RETURNS TABLE (
    account_id            bigint,
    account_name          text,
    as_of                 date,
    strategic_importance  integer,
    abc_class             text,
    revenue_share         double precision,
    class                 text,
    decided_by            text,
    rule_priority         integer,
    rule_valid_from       date
)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT v.account_id, v.account_name, as_of, v.strategic_importance::integer, v.abc_class,
           coalesce(v.revenue_share, 0)::double precision, v.class, v.decided_by, v.rule_priority, v.rule_valid_from
    FROM kam.classified_accounts_as_of(as_of) AS v;
END;
COMMENT ON FUNCTION kam.account_classification_as_of(date) IS
  'core / important / general per account as of a date, by the rule set in force (or the default), with the rule that decided';

CREATE VIEW kam.account_classification WITH (security_invoker = true) AS
    SELECT * FROM kam.account_classification_as_of(current_date);
COMMENT ON VIEW kam.account_classification IS
  'kam.account_classification_as_of(current_date): each account''s class today and the rule that decided it';

-- =====================================================================
-- Predictive CLV: BG/NBD and Gamma-Gamma fits
-- =====================================================================

CREATE TYPE kam.bgnbd_fit_result AS (
    r               double precision,
    alpha           double precision,
    a               double precision,
    b               double precision,
    log_likelihood  double precision,
    iterations      integer,
    converged       boolean,
    customers       bigint
);
COMMENT ON TYPE kam.bgnbd_fit_result IS
  'maximum-likelihood BG/NBD parameters, the log-likelihood at them, BFGS iterations, whether the fit converged, customers fitted';

CREATE TYPE kam.gammagamma_fit_result AS (
    p               double precision,
    q               double precision,
    gamma           double precision,
    log_likelihood  double precision,
    iterations      integer,
    converged       boolean,
    customers       bigint,
    excluded        bigint,
    mean_spend      double precision
);
COMMENT ON TYPE kam.gammagamma_fit_result IS
  'maximum-likelihood Gamma-Gamma parameters (likelihood of the mean spend), iterations, convergence, customers fitted and left out (zero spend), population mean spend p gamma / (q - 1), NULL when q <= 1';

CREATE FUNCTION kam.bgnbd_accum(state double precision[], x double precision, t_x double precision,
                                "T" double precision)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'kam_bgnbd_accum'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.bgnbd_accum(double precision[], double precision, double precision, double precision) IS
  'state function of kam.bgnbd_fit: appends a customer {x, t_x, T, 1}';

CREATE FUNCTION kam.bgnbd_combine(state1 double precision[], state2 double precision[])
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'kam_bgnbd_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.bgnbd_combine(double precision[], double precision[]) IS
  'combine function of kam.bgnbd_fit: concatenates two states';

CREATE FUNCTION kam.bgnbd_final(state double precision[]) RETURNS kam.bgnbd_fit_result
    AS 'MODULE_PATHNAME', 'kam_bgnbd_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.bgnbd_final(double precision[]) IS
  'final function of kam.bgnbd_fit: the maximum-likelihood fit of the customers in a state, NULL when there are none';

CREATE AGGREGATE kam.bgnbd_fit(x double precision, t_x double precision, "T" double precision) (
    SFUNC = kam.bgnbd_accum,
    STYPE = double precision[],
    COMBINEFUNC = kam.bgnbd_combine,
    FINALFUNC = kam.bgnbd_final,
    INITCOND = '{}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE kam.bgnbd_fit(double precision, double precision, double precision) IS
  'maximum-likelihood BG/NBD fit (Fader, Hardie & Lee 2005) of customers (x repeat transactions, t_x time of the last, T time since the first purchase)';

CREATE FUNCTION kam.gammagamma_accum(state double precision[], x double precision, mean_value double precision)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'kam_gammagamma_accum'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.gammagamma_accum(double precision[], double precision, double precision) IS
  'state function of kam.gammagamma_fit: appends a repeat customer {x, mean value}; x = 0 is skipped, a zero mean value counted as excluded';

CREATE FUNCTION kam.gammagamma_combine(state1 double precision[], state2 double precision[])
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'kam_gammagamma_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.gammagamma_combine(double precision[], double precision[]) IS
  'combine function of kam.gammagamma_fit: concatenates two states, adding their excluded counts';

CREATE FUNCTION kam.gammagamma_final(state double precision[]) RETURNS kam.gammagamma_fit_result
    AS 'MODULE_PATHNAME', 'kam_gammagamma_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.gammagamma_final(double precision[]) IS
  'final function of kam.gammagamma_fit: the maximum-likelihood fit, NULL without repeat customers';

CREATE AGGREGATE kam.gammagamma_fit(x double precision, mean_value double precision) (
    SFUNC = kam.gammagamma_accum,
    STYPE = double precision[],
    COMBINEFUNC = kam.gammagamma_combine,
    FINALFUNC = kam.gammagamma_final,
    INITCOND = '{0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE kam.gammagamma_fit(double precision, double precision) IS
  'maximum-likelihood Gamma-Gamma spend model (Fader & Hardie) of repeat customers: x repeat transactions, mean_value their mean value';

CREATE FUNCTION kam.bgnbd_p_alive(r double precision, alpha double precision, a double precision,
                                  b double precision, x double precision, t_x double precision,
                                  "T" double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'kam_bgnbd_p_alive_sql'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.bgnbd_p_alive(double precision, double precision, double precision, double precision, double precision, double precision, double precision) IS
  'BG/NBD probability that a customer (x, t_x, T) is still alive: 1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x))';

CREATE FUNCTION kam.bgnbd_expected_transactions(r double precision, alpha double precision, a double precision,
                                                b double precision, x double precision, t_x double precision,
                                                "T" double precision, t double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'kam_bgnbd_expected_sql'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.bgnbd_expected_transactions(double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision) IS
  'BG/NBD expected transactions of a customer (x, t_x, T) in the next t time units, E[Y(t) | x, t_x, T], by the Euler-transformed series (finite for any x)';

CREATE FUNCTION kam.gammagamma_expected_spend(p double precision, q double precision, gamma double precision,
                                              x double precision, mean_value double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'kam_gammagamma_expected_spend_sql'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.gammagamma_expected_spend(double precision, double precision, double precision, double precision, double precision) IS
  'Gamma-Gamma expected mean spend p (gamma + x mean_value) / (p x + q - 1); for x = 0 the population mean p gamma / (q - 1); an error where undefined (q <= 1)';

CREATE FUNCTION kam.predicted_clv(r double precision, alpha double precision, a double precision, b double precision,
                                  p double precision, q double precision, gamma double precision,
                                  x double precision, t_x double precision, "T" double precision,
                                  mean_value double precision, horizon double precision,
                                  discount_rate double precision, margin double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'kam_predicted_clv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.predicted_clv(double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision) IS
  'predicted CLV over a horizon (time units of the fit): expected transactions of 12 equal steps, each discounted at (1 + discount_rate) per unit at its end, times the Gamma-Gamma expected spend and the margin share';

CREATE FUNCTION kam.clv_unit_error(unit_days double precision) RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'clv time unit of % days is not allowed: it must be more than 0 and less than 1e6 days', unit_days
        USING ERRCODE = 'numeric_value_out_of_range';
END $$;
COMMENT ON FUNCTION kam.clv_unit_error(double precision) IS
  'raises the error of a time unit outside (0, 1e6) days';

CREATE FUNCTION kam.clv_unit(unit_days double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN unit_days > 0 AND unit_days < 1e6 THEN unit_days
            ELSE (kam.clv_unit_error(unit_days))::double precision END;
COMMENT ON FUNCTION kam.clv_unit(double precision) IS
  'a CLV time unit in days, checked: itself when within (0, 1e6), else the error of kam.clv_unit_error';

CREATE FUNCTION kam.purchase_days_error(days kam.purchase_days_result, as_of date) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'purchase days % are not allowed as of %: they need purchase_days >= 1, first_day <= last_day <= as_of, first_day = last_day exactly when purchase_days = 1, no more purchase days than days, and a finite repeat_amount', days, as_of
        USING ERRCODE = 'invalid_parameter_value';
END $$;
COMMENT ON FUNCTION kam.purchase_days_error(kam.purchase_days_result, date) IS
  'raises the error of a kam.purchase_days_result that kam.purchase_days could not have returned by as_of (kam.clv_summary_of)';

CREATE FUNCTION kam.clv_summary_of(days kam.purchase_days_result, as_of date, unit_days double precision)
RETURNS TABLE (x integer, t_x double precision, "T" double precision, mean_value numeric)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT ((days).purchase_days - 1)::integer,
           ((days).last_day - (days).first_day) / u.unit,
           (as_of - (days).first_day) / u.unit,
           (days).repeat_amount / nullif((days).purchase_days - 1, 0)
    FROM (SELECT kam.clv_unit(unit_days) AS unit) AS u
    -- a hand-made value must be one kam.purchase_days could have returned by
    -- as_of (a filter, so that it holds whichever columns the caller reads)
    WHERE CASE WHEN (days).purchase_days IS NULL
                 OR ((days).purchase_days >= 1
                     AND (days).first_day <= (days).last_day
                     AND (days).last_day <= as_of
                     AND ((days).purchase_days = 1) = ((days).first_day = (days).last_day)
                     AND (days).purchase_days - 1 <= (days).last_day - (days).first_day
                     AND (days).repeat_amount > '-Infinity' AND (days).repeat_amount < 'Infinity')
               THEN true
               ELSE kam.purchase_days_error(days, as_of) END;
END;
COMMENT ON FUNCTION kam.clv_summary_of(kam.purchase_days_result, date, double precision) IS
  'an account''s calibration summary from its purchase days up to as_of (kam.purchase_days): x repeat purchase days, t_x and T in units of unit_days from the first purchase day, mean value of the repeat purchase days (kam.clv_calibration, and the day''s review)';

CREATE FUNCTION kam.clv_calibration(as_of date, unit_days double precision DEFAULT 7)
RETURNS TABLE (
    account_id      bigint,
    x               integer,
    t_x             double precision,
    "T"             double precision,
    mean_value      numeric,
    first_purchase  date,
    last_purchase   date
)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- purchase days: an account's orders of one day are one purchase, of
    -- their amounts summed (converted amounts rounded to 1/10000, as in the
    -- value analysis); kam.purchase_days counts them in one pass over the
    -- orders, in any order (a sort of every order took longer)
    WITH params AS MATERIALIZED (
        SELECT coalesce(kam.setting_value('reporting_currency', as_of), 'USD') AS currency,
               kam.clv_unit(unit_days) AS unit
    ),
    summary AS (
        SELECT o.account_id,
               kam.purchase_days(o.order_date,
                                 CASE WHEN o.currency = p.currency THEN o.amount_units
                                      ELSE round(kam.convert_amount(o.amount, o.currency, o.order_date, p.currency) * 10000)::bigint
                                 END) AS d
        FROM kam.sales_order AS o, params AS p
        WHERE o.order_date <= as_of
        GROUP BY o.account_id
    )
    SELECT s.account_id, c.x, c.t_x, c."T", c.mean_value, (s.d).first_day, (s.d).last_day
    FROM summary AS s
    CROSS JOIN params AS p
    CROSS JOIN LATERAL kam.clv_summary_of(s.d, as_of, p.unit) AS c;
END;
COMMENT ON FUNCTION kam.clv_calibration(date, double precision) IS
  'per account with a purchase on or before as_of: x repeat purchase days, t_x and T in units of unit_days (default 7: weeks) from the first purchase day, mean value of the repeat purchase days';

CREATE FUNCTION kam.bgnbd_log_likelihood(r double precision, alpha double precision, a double precision,
                                         b double precision, x double precision, t_x double precision,
                                         "T" double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'kam_bgnbd_log_likelihood'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.bgnbd_log_likelihood(double precision, double precision, double precision, double precision, double precision, double precision, double precision) IS
  'BG/NBD log-likelihood of one customer (x, t_x, T) at parameters r, alpha, a, b (log-sum-exp form)';

CREATE FUNCTION kam.gammagamma_log_likelihood(p double precision, q double precision, gamma double precision,
                                              x double precision, mean_value double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'kam_gammagamma_log_likelihood'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.gammagamma_log_likelihood(double precision, double precision, double precision, double precision, double precision) IS
  'Gamma-Gamma log density of one repeat customer''s mean spend (x >= 1, mean value > 0) at p, q, gamma';

CREATE TABLE kam.clv_model (
    model_id                 bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    calibrated_to            date NOT NULL CHECK (calibrated_to BETWEEN '1900-01-01' AND '2999-12-31'),
    unit_days                double precision NOT NULL CHECK (unit_days > 0 AND unit_days < 1e6),
    r                        double precision NOT NULL CHECK (r > 0 AND r < 'Infinity'),
    alpha                    double precision NOT NULL CHECK (alpha > 0 AND alpha < 'Infinity'),
    a                        double precision NOT NULL CHECK (a > 0 AND a < 'Infinity'),
    b                        double precision NOT NULL CHECK (b > 0 AND b < 'Infinity'),
    bgnbd_log_likelihood     double precision NOT NULL,
    bgnbd_converged          boolean NOT NULL,
    p                        double precision CHECK (p > 0 AND p < 'Infinity'),
    q                        double precision CHECK (q > 0 AND q < 'Infinity'),
    gamma                    double precision CHECK (gamma > 0 AND gamma < 'Infinity'),
    gammagamma_log_likelihood double precision,
    gammagamma_converged     boolean,
    customers                bigint NOT NULL,
    repeat_customers         bigint NOT NULL,
    fitted_at                timestamptz NOT NULL DEFAULT now(),
    fitted_by                name NOT NULL DEFAULT current_user
);
COMMENT ON TABLE kam.clv_model IS
  'fitted BG/NBD and Gamma-Gamma models with their calibration day and time unit (kam.fit_clv_model)';
COMMENT ON SEQUENCE kam.clv_model_model_id_seq IS 'identity of kam.clv_model';
SELECT pg_catalog.pg_extension_config_dump('kam.clv_model', '');
SELECT pg_catalog.pg_extension_config_dump('kam.clv_model_model_id_seq', '');

CREATE FUNCTION kam.fit_clv_model(as_of date DEFAULT current_date, unit_days double precision DEFAULT 7)
    RETURNS kam.clv_model
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    bg kam.bgnbd_fit_result;
    gg kam.gammagamma_fit_result;
    model kam.clv_model;
BEGIN
    SELECT (f).* INTO bg FROM (SELECT kam.bgnbd_fit(c.x, c.t_x, c."T") AS f
                               FROM kam.clv_calibration(as_of, unit_days) AS c) AS s;
    IF bg.r IS NULL THEN
        RAISE EXCEPTION 'fit_clv_model: no account has a purchase on or before %', as_of
            USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT bg.converged THEN
        RAISE WARNING 'fit_clv_model: the BG/NBD fit as of % did not converge in % iterations', as_of, bg.iterations;
    END IF;
    SELECT (f).* INTO gg FROM (SELECT kam.gammagamma_fit(c.x, c.mean_value::double precision) AS f
                               FROM kam.clv_calibration(as_of, unit_days) AS c) AS s;
    INSERT INTO kam.clv_model (calibrated_to, unit_days, r, alpha, a, b, bgnbd_log_likelihood, bgnbd_converged,
                               p, q, gamma, gammagamma_log_likelihood, gammagamma_converged,
                               customers, repeat_customers)
    VALUES (as_of, unit_days, bg.r, bg.alpha, bg.a, bg.b, bg.log_likelihood, bg.converged,
            gg.p, gg.q, gg.gamma, gg.log_likelihood, gg.converged, bg.customers, coalesce(gg.customers, 0))
    RETURNING * INTO model;
    RETURN model;
END $$;
COMMENT ON FUNCTION kam.fit_clv_model(date, double precision) IS
  'fits BG/NBD and Gamma-Gamma to the calibration summary as of a day (time unit in days, default 7) and stores the model in kam.clv_model';

CREATE TYPE kam.clv_scoring AS (
    model_id      bigint,
    unit_days     double precision,
    r             double precision,
    alpha         double precision,
    a             double precision,
    b             double precision,
    p             double precision,
    q             double precision,
    gamma         double precision,
    horizon       double precision,
    discount      double precision,
    margin        double precision,
    high_below    double precision,
    medium_below  double precision
);
COMMENT ON TYPE kam.clv_scoring IS
  'a CLV model with the settings its scores use on a day: horizon in time units of the fit, discount rate per unit, margin share, churn-risk band limits (kam.clv_scoring_as_of)';

CREATE FUNCTION kam.clv_scoring_as_of(as_of date) RETURNS SETOF kam.clv_scoring
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT m.model_id, m.unit_days, m.r, m.alpha, m.a, m.b, m.p, m.q, m.gamma,
           coalesce(kam.setting_value('clv_horizon_months', as_of)::double precision, 12) * 365.25 / 12 / m.unit_days,
           pow(1 + coalesce(kam.setting_value('clv_discount_rate', as_of)::double precision, 0.10),
               m.unit_days / 365.25) - 1,
           coalesce(kam.setting_value('clv_margin_share', as_of)::double precision, 1),
           coalesce(kam.setting_value('churn_high_below', as_of)::double precision, 0.3),
           coalesce(kam.setting_value('churn_medium_below', as_of)::double precision, 0.7)
    FROM kam.clv_model AS m
    WHERE m.calibrated_to <= as_of
    ORDER BY m.calibrated_to DESC, m.model_id DESC
    LIMIT 1;
END;
COMMENT ON FUNCTION kam.clv_scoring_as_of(date) IS
  'the latest CLV model calibrated on or before as_of with the settings in force that day (horizon, discount, margin share, churn-risk bands); no row without a model';

CREATE FUNCTION kam.clv_scores(model kam.clv_scoring, x integer, t_x double precision, "T" double precision,
                               mean_value numeric)
RETURNS TABLE (p_alive double precision, expected_transactions double precision, expected_value double precision,
               predicted_clv double precision, churn_risk text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT s.p_alive,
           kam.bgnbd_expected_transactions((model).r, (model).alpha, (model).a, (model).b, x, t_x, "T",
                                           365.25 / s.unit),
           v.spend,
           CASE WHEN v.spend IS NOT NULL
                THEN kam.predicted_clv((model).r, (model).alpha, (model).a, (model).b, (model).p, (model).q,
                                       (model).gamma, x, t_x, "T", coalesce(mean_value, 0)::double precision,
                                       (model).horizon, (model).discount, (model).margin) END,
           CASE WHEN s.p_alive IS NULL THEN NULL
                WHEN s.p_alive < (model).high_below THEN 'high'
                WHEN s.p_alive < (model).medium_below THEN 'medium'
                ELSE 'low' END
    FROM (SELECT kam.bgnbd_p_alive((model).r, (model).alpha, (model).a, (model).b, x, t_x, "T") AS p_alive,
                 -- (a model from elsewhere may hold any unit; no model: no scores)
                 CASE WHEN (model).unit_days IS NOT NULL THEN kam.clv_unit((model).unit_days) END AS unit) AS s,
         -- the expected spend needs a Gamma-Gamma fit with q > 1 (p x + q > 1)
         (SELECT CASE WHEN (model).p IS NOT NULL
                           AND (CASE WHEN x = 0 THEN (model).q > 1 ELSE (model).p * x + (model).q > 1 END)
                      THEN kam.gammagamma_expected_spend((model).p, (model).q, (model).gamma, x,
                                                         coalesce(mean_value, 0)::double precision) END
                 AS spend) AS v;
END;
COMMENT ON FUNCTION kam.clv_scores(kam.clv_scoring, integer, double precision, double precision, numeric) IS
  'an account''s CLV scores under a model (kam.clv_scoring_as_of) from its calibration summary: P(alive), expected transactions in the next 365.25 days, expected value per transaction, predicted CLV over the horizon, churn-risk band';

CREATE FUNCTION kam.account_clv_as_of(as_of date)
RETURNS TABLE (
    account_id             bigint,
    model_id               bigint,
    x                      integer,
    t_x                    double precision,
    "T"                    double precision,
    p_alive                double precision,
    expected_transactions  double precision,
    expected_value         double precision,
    predicted_clv          double precision,
    churn_risk             text
)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH model AS MATERIALIZED (SELECT m FROM kam.clv_scoring_as_of(as_of) AS m)
    SELECT c.account_id, (m.m).model_id, c.x, c.t_x, c."T", s.p_alive, s.expected_transactions, s.expected_value,
           s.predicted_clv, s.churn_risk
    FROM model AS m
    CROSS JOIN kam.clv_calibration(as_of, (m.m).unit_days) AS c
    CROSS JOIN LATERAL kam.clv_scores(m.m, c.x, c.t_x, c."T", c.mean_value) AS s;
END;
COMMENT ON FUNCTION kam.account_clv_as_of(date) IS
  'per account, with the latest CLV model calibrated on or before as_of: x, t_x, T as of that day, P(alive), expected transactions in the next 12 months, expected value, predicted CLV, churn-risk band';

CREATE VIEW kam.account_clv WITH (security_invoker = true) AS
    SELECT * FROM kam.account_clv_as_of(current_date);
COMMENT ON VIEW kam.account_clv IS
  'kam.account_clv_as_of(current_date): P(alive), expected transactions and value, predicted CLV and churn risk of every account today';

-- =====================================================================
-- Relationship: interactions, assessments, weights; C measures
-- =====================================================================

CREATE FUNCTION kam.likert_items_valid(items smallint[], scale_min smallint, scale_max smallint) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN items IS NULL OR (cardinality(items) BETWEEN 1 AND 100 AND array_ndims(items) = 1
                             AND array_position(items, NULL) IS NULL
                             AND scale_min <= ALL (items) AND scale_max >= ALL (items));
COMMENT ON FUNCTION kam.likert_items_valid(smallint[], smallint, smallint) IS
  'true when Likert item answers are NULL (not asked) or 1..100 non-null answers within scale_min..scale_max';

CREATE TABLE kam.interaction (
    interaction_id   bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    account_id       bigint NOT NULL REFERENCES kam.account,
    contact_id       bigint,
    internal_person  text NOT NULL CHECK (btrim(internal_person) <> ''),
    occurred_at      timestamptz NOT NULL CHECK (occurred_at BETWEEN '1900-01-01' AND '2999-12-31'),
    channel          text NOT NULL CHECK (channel IN ('visit', 'meeting', 'video', 'phone', 'event', 'email', 'chat')),
    direction        text NOT NULL CHECK (direction IN ('inbound', 'outbound', 'two_way')),
    sentiment        smallint CHECK (sentiment BETWEEN -2 AND 2),
    note             text,
    FOREIGN KEY (contact_id, account_id) REFERENCES kam.contact (contact_id, account_id)
);
COMMENT ON TABLE kam.interaction IS
  'contacts with an account: our person, the account''s contact (optional), channel, direction (inbound / outbound / two_way), sentiment -2 (very negative) .. +2 (very positive)';
COMMENT ON SEQUENCE kam.interaction_interaction_id_seq IS 'identity of kam.interaction';
CREATE INDEX interaction_account_idx ON kam.interaction (account_id, occurred_at);
COMMENT ON INDEX kam.interaction_account_idx IS 'an account''s interactions by time';

CREATE TABLE kam.relationship_assessment (
    assessment_id       bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    account_id          bigint NOT NULL REFERENCES kam.account,
    contact_id          bigint,
    assessed_on         date NOT NULL CHECK (assessed_on BETWEEN '1900-01-01' AND '2999-12-31'),
    scale_min           smallint NOT NULL DEFAULT 1,
    scale_max           smallint NOT NULL DEFAULT 7,
    trust               smallint[],
    satisfaction        smallint[],
    commitment          smallint[],
    cooperation_intent  smallint[],
    FOREIGN KEY (contact_id, account_id) REFERENCES kam.contact (contact_id, account_id),
    CONSTRAINT assessment_scale CHECK (scale_min < scale_max),
    CONSTRAINT assessment_items_on_scale CHECK (
        kam.likert_items_valid(trust, scale_min, scale_max) AND kam.likert_items_valid(satisfaction, scale_min, scale_max)
        AND kam.likert_items_valid(commitment, scale_min, scale_max)
        AND kam.likert_items_valid(cooperation_intent, scale_min, scale_max))
);
COMMENT ON TABLE kam.relationship_assessment IS
  'relationship questionnaires: one row per respondent and date; each construct an array of Likert item answers on scale_min..scale_max (default 1..7), NULL when not asked';
COMMENT ON SEQUENCE kam.relationship_assessment_assessment_id_seq IS 'identity of kam.relationship_assessment';
CREATE INDEX relationship_assessment_account_idx ON kam.relationship_assessment (account_id, assessed_on);
COMMENT ON INDEX kam.relationship_assessment_account_idx IS 'an account''s assessments by date';

CREATE TABLE kam.relationship_weight (
    kind         text NOT NULL CHECK (kind IN ('construct', 'channel', 'direction', 'role')),
    name         text NOT NULL,
    valid_from   date NOT NULL,
    weight       double precision NOT NULL CHECK (weight >= 0 AND weight < 'Infinity'),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    recorded_by  name NOT NULL DEFAULT current_user,
    PRIMARY KEY (kind, name, valid_from),
    CONSTRAINT relationship_weight_name CHECK (
        CASE kind WHEN 'construct' THEN name IN ('trust', 'satisfaction', 'commitment', 'cooperation_intent')
                  WHEN 'channel' THEN name IN ('visit', 'meeting', 'video', 'phone', 'event', 'email', 'chat')
                  WHEN 'direction' THEN name IN ('inbound', 'outbound', 'two_way')
                  ELSE name IN ('decider', 'influencer', 'buyer', 'user', 'gatekeeper', 'initiator', 'champion', 'approver')
        END)
);
COMMENT ON TABLE kam.relationship_weight IS
  'dated weights of constructs, channels, directions and required buying-centre roles (weight 0 = role not required); the latest valid_from on or before a day is in force, else the default';
SELECT pg_catalog.pg_extension_config_dump('kam.interaction', '');
SELECT pg_catalog.pg_extension_config_dump('kam.relationship_assessment', '');
SELECT pg_catalog.pg_extension_config_dump('kam.relationship_weight', '');
SELECT pg_catalog.pg_extension_config_dump('kam.interaction_interaction_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kam.relationship_assessment_assessment_id_seq', '');

SELECT kam.enable_team_security('kam.interaction');
SELECT kam.enable_team_security('kam.relationship_assessment');

CREATE FUNCTION kam.likert_rescale(mean double precision, scale_min double precision, scale_max double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'kam_likert_rescale_sql'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.likert_rescale(double precision, double precision, double precision) IS
  'a Likert mean on scale_min..scale_max rescaled to 0..100: (mean - min) / (max - min) * 100';

CREATE TYPE kam.relationship_index_detail AS (
    index               double precision,
    trust               double precision,
    satisfaction        double precision,
    commitment          double precision,
    cooperation_intent  double precision,
    constructs          integer
);
COMMENT ON TYPE kam.relationship_index_detail IS
  'the relationship quality index and each construct''s contribution w_i c_i / sum of the weights present (NULL: construct missing); the contributions add up to the index';

CREATE FUNCTION kam.relationship_index(trust double precision, satisfaction double precision,
                                       commitment double precision, cooperation_intent double precision,
                                       weights double precision[] DEFAULT '{1,1,1,1}')
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'kam_relationship_index_sql'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kam.relationship_index(double precision, double precision, double precision, double precision, double precision[]) IS
  'relationship quality index 0..100: sum w_i c_i / sum w_i over the constructs present (scores 0..100, NULL = missing, renormalised), NULL when none is';

CREATE FUNCTION kam.relationship_index_detail(trust double precision, satisfaction double precision,
                                              commitment double precision, cooperation_intent double precision,
                                              weights double precision[] DEFAULT '{1,1,1,1}')
    RETURNS kam.relationship_index_detail
    AS 'MODULE_PATHNAME', 'kam_relationship_index_detail'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kam.relationship_index_detail(double precision, double precision, double precision, double precision, double precision[]) IS
  'the relationship quality index with each construct''s contribution';

CREATE TYPE kam.relationship_strength_result AS (
    strength                 double precision,
    interactions             bigint,
    reciprocal_interactions  bigint,
    one_way                  boolean,
    last_contact             timestamptz,
    last_reciprocal_contact  timestamptz
);
COMMENT ON TYPE kam.relationship_strength_result IS
  'time-decayed interaction strength, counts, whether no inbound or two-way contact fell in the window (one-way), last contacts';

CREATE FUNCTION kam.strength_at(as_of timestamptz, half_life_days double precision DEFAULT 90,
                                window_days double precision DEFAULT 90)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'kam_strength_at'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.strength_at(timestamptz, double precision, double precision) IS
  'the parameters of kam.relationship_strength as one value: {as_of (microseconds since 2000), half_life_days, window_days}; a constant when its arguments are';

CREATE TYPE kam.strength_state;

CREATE FUNCTION kam.strength_state_in(cstring) RETURNS kam.strength_state
    AS 'MODULE_PATHNAME', 'kam_strength_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.strength_state_in(cstring) IS
  'text input of kam.strength_state: checks that the state is one the aggregate can reach';

CREATE FUNCTION kam.strength_state_out(kam.strength_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'kam_strength_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.strength_state_out(kam.strength_state) IS
  'text output of kam.strength_state: reads back to the same state, bit for bit';

CREATE FUNCTION kam.strength_state_recv(internal) RETURNS kam.strength_state
    AS 'MODULE_PATHNAME', 'kam_strength_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.strength_state_recv(internal) IS
  'binary input of kam.strength_state, checked as the text input';

CREATE FUNCTION kam.strength_state_send(kam.strength_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'kam_strength_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.strength_state_send(kam.strength_state) IS
  'binary output of kam.strength_state';

CREATE TYPE kam.strength_state (
    INPUT = kam.strength_state_in,
    OUTPUT = kam.strength_state_out,
    RECEIVE = kam.strength_state_recv,
    SEND = kam.strength_state_send,
    INTERNALLENGTH = 64,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE kam.strength_state IS
  'state of kam.relationship_strength: (strength,interactions,reciprocal,last,last_reciprocal,as_of,half_life_days,window_days), times in microseconds since 2000-01-01 UTC, absent ones empty';

CREATE FUNCTION kam.relationship_strength_accum(state kam.strength_state, occurred_at timestamptz, weight double precision,
                                                reciprocal boolean, parameters double precision[])
    RETURNS kam.strength_state
    AS 'MODULE_PATHNAME', 'kam_relationship_strength_accum'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.relationship_strength_accum(kam.strength_state, timestamptz, double precision, boolean, double precision[]) IS
  'state function of kam.relationship_strength: adds weight * 2^(-age / half-life) of an interaction on or before as_of';

CREATE FUNCTION kam.relationship_strength_combine(state1 kam.strength_state, state2 kam.strength_state)
    RETURNS kam.strength_state
    AS 'MODULE_PATHNAME', 'kam_relationship_strength_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.relationship_strength_combine(kam.strength_state, kam.strength_state) IS
  'combine function of kam.relationship_strength';

CREATE FUNCTION kam.relationship_strength_final(state kam.strength_state) RETURNS kam.relationship_strength_result
    AS 'MODULE_PATHNAME', 'kam_relationship_strength_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.relationship_strength_final(kam.strength_state) IS
  'final function of kam.relationship_strength: NULL without interactions';

CREATE AGGREGATE kam.relationship_strength(occurred_at timestamptz, weight double precision, reciprocal boolean,
                                           parameters double precision[]) (
    SFUNC = kam.relationship_strength_accum,
    STYPE = kam.strength_state,
    COMBINEFUNC = kam.relationship_strength_combine,
    FINALFUNC = kam.relationship_strength_final,
    INITCOND = '(0,0,0,,,,,)',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE kam.relationship_strength(timestamptz, double precision, boolean, double precision[]) IS
  'interaction strength sum of weight * 2^(-age_days / half_life_days) over interactions on or before as_of, parameters = kam.strength_at(as_of, half_life_days, window_days); one_way when no reciprocal (inbound or two-way) one falls in the window_days before as_of';

CREATE FUNCTION kam.cronbach_alpha_accum(state double precision[], items double precision[])
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'kam_cronbach_alpha_accum'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.cronbach_alpha_accum(double precision[], double precision[]) IS
  'state function of kam.cronbach_alpha: adds one respondent''s item answers (a respondent with a NULL answer is skipped)';

CREATE FUNCTION kam.cronbach_alpha_combine(state1 double precision[], state2 double precision[])
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'kam_cronbach_alpha_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.cronbach_alpha_combine(double precision[], double precision[]) IS
  'combine function of kam.cronbach_alpha: adds two states of the same number of items';

CREATE FUNCTION kam.cronbach_alpha_final(state double precision[]) RETURNS double precision
    AS 'MODULE_PATHNAME', 'kam_cronbach_alpha_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kam.cronbach_alpha_final(double precision[]) IS
  'final function of kam.cronbach_alpha: k / (k - 1) (1 - sum of item variances / variance of totals); NULL when undefined';

CREATE AGGREGATE kam.cronbach_alpha(items double precision[]) (
    SFUNC = kam.cronbach_alpha_accum,
    STYPE = double precision[],
    COMBINEFUNC = kam.cronbach_alpha_combine,
    FINALFUNC = kam.cronbach_alpha_final,
    INITCOND = '{}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE kam.cronbach_alpha(double precision[]) IS
  'Cronbach''s alpha of a questionnaire construct: one row per respondent with the answers to its k items; NULL for fewer than 2 items or respondents, or no variance';

CREATE FUNCTION kam.weights_in_force(as_of date)
RETURNS TABLE (kind text, name text, weight double precision)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- kam's defaults, each replaced by the user's weight in force on as_of
    SELECT d.kind, d.name, coalesce(u.weight, d.weight)
    FROM (VALUES ('construct', 'trust', 1.0), ('construct', 'satisfaction', 1.0),
                 ('construct', 'commitment', 1.0), ('construct', 'cooperation_intent', 1.0),
                 ('channel', 'visit', 3.0), ('channel', 'meeting', 2.5), ('channel', 'video', 2.0),
                 ('channel', 'phone', 1.5), ('channel', 'event', 1.5), ('channel', 'email', 1.0),
                 ('channel', 'chat', 0.5),
                 ('direction', 'two_way', 1.0), ('direction', 'inbound', 0.8), ('direction', 'outbound', 0.5),
                 ('role', 'decider', 3.0), ('role', 'influencer', 2.0), ('role', 'buyer', 2.0),
                 ('role', 'user', 1.0), ('role', 'gatekeeper', 1.0), ('role', 'initiator', 0.0),
                 ('role', 'champion', 0.0), ('role', 'approver', 0.0)) AS d(kind, name, weight)
    LEFT JOIN LATERAL (SELECT w.weight FROM kam.relationship_weight AS w
                       WHERE w.kind = d.kind AND w.name = d.name AND w.valid_from <= as_of
                       ORDER BY w.valid_from DESC LIMIT 1) AS u ON true;
END;
COMMENT ON FUNCTION kam.weights_in_force(date) IS
  'construct, channel, direction and buying-centre role weights in force on as_of (kam''s defaults where the user set none)';

CREATE FUNCTION kam.relationship_parameters(as_of date, OUT half_life_days double precision, OUT window_days double precision)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT coalesce(kam.setting_value('strength_half_life_days', as_of)::double precision, 90),
           coalesce(kam.setting_value('engagement_window_days', as_of)::double precision, 90);
END;
COMMENT ON FUNCTION kam.relationship_parameters(date) IS
  'the strength half-life and the engagement window in days in force on as_of (defaults 90 and 90)';

CREATE FUNCTION kam.weighted_interactions_as_of(as_of date)
RETURNS TABLE (account_id bigint, contact_id bigint, internal_person text, occurred_at timestamptz,
               weight double precision, reciprocal boolean, parameters double precision[],
               two_way boolean, in_window boolean)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- the interactions up to the end of as_of with their channel x direction
    -- weight, whether they came back from the account (inbound or two-way), and
    -- the strength parameters in force: what kam.relationship_strength reads;
    -- also whether two-way and whether within the engagement window
    -- (the parameters' array and the window's start once, not per interaction)
    WITH p AS MATERIALIZED (
             SELECT kam.strength_at((as_of + 1)::timestamptz, r.half_life_days, r.window_days) AS parameters,
                    (as_of + 1)::timestamptz - make_interval(days => r.window_days::int) AS window_start
             FROM kam.relationship_parameters(as_of) AS r),
         w AS MATERIALIZED (SELECT * FROM kam.weights_in_force(as_of)),
         -- the weight of each channel and direction pair: one join of the
         -- interactions (joined to each weight in turn, they were scanned
         -- once per direction)
         pair AS MATERIALIZED (SELECT c.name AS channel, d.name AS direction, c.weight * d.weight AS weight
                               FROM w AS c JOIN w AS d ON c.kind = 'channel' AND d.kind = 'direction')
    SELECT i.account_id, i.contact_id, i.internal_person, i.occurred_at, pw.weight,
           i.direction <> 'outbound', p.parameters, i.direction = 'two_way', i.occurred_at >= p.window_start
    FROM kam.interaction AS i
    JOIN pair AS pw ON pw.channel = i.channel AND pw.direction = i.direction
    CROSS JOIN p
    WHERE i.occurred_at < (as_of + 1)::timestamptz;
END;
COMMENT ON FUNCTION kam.weighted_interactions_as_of(date) IS
  'the interactions up to the end of as_of with their weight (channel x direction weights in force), whether they were inbound or two-way, and the strength parameters in force (kam.strength_at): the input of kam.relationship_strength for the ties and the decision chain; also whether two-way and whether within the engagement window';

CREATE FUNCTION kam.contact_ties_as_of(as_of date)
RETURNS TABLE (account_id bigint, contact_id bigint, strength double precision, interactions bigint,
               engaged boolean, last_contact timestamptz, window_interactions bigint, window_two_way bigint)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- our tie with each contact, whoever of us held it (contact NULL: the
    -- interactions with no contact recorded); the account's strength is the
    -- sum of its ties', so the decision chain and the account's strength read
    -- one grouping of the interactions
    SELECT t.account_id, t.contact_id, (t.s).strength, (t.s).interactions, NOT (t.s).one_way, (t.s).last_contact,
           t.window_interactions, t.window_two_way
    FROM (SELECT i.account_id, i.contact_id,
                 kam.relationship_strength(i.occurred_at, i.weight, i.reciprocal, i.parameters) AS s,
                 count(*) FILTER (WHERE i.in_window) AS window_interactions,
                 count(*) FILTER (WHERE i.in_window AND i.two_way) AS window_two_way
          FROM kam.weighted_interactions_as_of(as_of) AS i
          GROUP BY i.account_id, i.contact_id) AS t;
END;
COMMENT ON FUNCTION kam.contact_ties_as_of(date) IS
  'our tie with each contact of an account (contact NULL: interactions with no contact recorded) as of the end of a day, whoever of us held it: strength, interactions, engaged (an inbound or two-way interaction in the engagement window), last contact, and the window''s interactions and two-way ones';

CREATE FUNCTION kam.contact_strength_as_of(as_of date)
RETURNS TABLE (account_id bigint, contact_id bigint, internal_person text, strength double precision,
               interactions bigint, engaged boolean, last_contact timestamptz)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- per (account, contact, our person): the strength of the tie; engaged = an
    -- inbound or two-way interaction within the engagement window
    SELECT i.account_id, i.contact_id, i.internal_person, (s).strength, (s).interactions, NOT (s).one_way,
           (s).last_contact
    FROM (SELECT i.account_id, i.contact_id, i.internal_person,
                 kam.relationship_strength(i.occurred_at, i.weight, i.reciprocal, i.parameters) AS s
          FROM kam.weighted_interactions_as_of(as_of) AS i
          GROUP BY i.account_id, i.contact_id, i.internal_person) AS i;
END;
COMMENT ON FUNCTION kam.contact_strength_as_of(date) IS
  'the ties of our people with an account''s contacts (contact NULL: not recorded) as of the end of a day: strength, interactions, engaged, last contact';

CREATE FUNCTION kam.decision_chain_as_of(as_of date)
RETURNS TABLE (account_id bigint, role text, role_weight double precision, contacts text,
               strength double precision, engaged boolean, coverage double precision, single_threaded boolean)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH roles AS MATERIALIZED (SELECT name AS role, weight FROM kam.weights_in_force(as_of)
                                WHERE kind = 'role' AND weight > 0),
         ties AS MATERIALIZED (SELECT t.account_id, t.contact_id, t.strength, t.engaged
                               FROM kam.contact_ties_as_of(as_of) AS t WHERE t.contact_id IS NOT NULL),
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
    LEFT JOIN engaged_contacts AS e ON e.account_id = pr.account_id;
END;
COMMENT ON FUNCTION kam.decision_chain_as_of(date) IS
  'per account and required buying-centre role: the active contacts holding it with our strength with each (and whether engaged), the role''s strength, engaged or not; weighted coverage sum w engaged / sum w; single-threaded when exactly one contact is engaged';

CREATE FUNCTION kam.relationship_scores_as_of(as_of date)
RETURNS TABLE (account_id bigint, account_name text, relationship_index double precision,
               trust double precision, satisfaction double precision, commitment double precision,
               cooperation_intent double precision, interaction_strength double precision,
               two_way_share double precision, one_way boolean, last_contact timestamptz,
               decision_chain_coverage double precision, single_threaded boolean,
               previous_index double precision, index_change double precision, trend text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH w AS MATERIALIZED (SELECT * FROM kam.weights_in_force(as_of)),
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
         -- the interactions grouped once, by contact: the account's strength
         -- is the sum of its ties', the decision chain reads the ties
         ties AS MATERIALIZED (SELECT * FROM kam.contact_ties_as_of(as_of)),
         strength AS (
             SELECT t.account_id, sum(t.strength) AS strength, bool_and(NOT t.engaged) AS one_way,
                    max(t.last_contact) AS last_contact,
                    sum(t.window_two_way)::double precision / nullif(sum(t.window_interactions), 0) AS two_way_share
             FROM ties AS t GROUP BY t.account_id),
         -- the decision chain (kam.decision_chain_as_of role by role): the
         -- required roles held by an active contact we are engaged with
         roles AS MATERIALIZED (SELECT w.name AS role, w.weight FROM w WHERE w.kind = 'role' AND w.weight > 0),
         engaged_contacts AS (
             SELECT t.account_id, count(*) AS n FROM ties AS t
             WHERE t.engaged AND t.contact_id IS NOT NULL GROUP BY t.account_id),
         covered AS (
             SELECT x.account_id, sum(r.weight) AS weight
             FROM (SELECT DISTINCT t.account_id, h.role
                   FROM ties AS t
                   JOIN kam.contact AS c ON c.contact_id = t.contact_id AND c.account_id = t.account_id AND c.active
                   CROSS JOIN LATERAL unnest(c.buying_roles) AS h(role)
                   WHERE t.engaged) AS x
             JOIN roles AS r ON r.role = x.role
             GROUP BY x.account_id),
         chain_weight AS MATERIALIZED (SELECT sum(r.weight) AS total FROM roles AS r)
    SELECT a.account_id, a.name, cur.index, cur.trust, cur.satisfaction, cur.commitment,
           cur.cooperation, st.strength, st.two_way_share, st.one_way, st.last_contact,
           coalesce(cv.weight, 0) / cw.total,
           CASE WHEN cw.total IS NOT NULL THEN coalesce(ec.n = 1, false) END,
           prev.index, cur.index - prev.index,
           CASE WHEN cur.index IS NULL OR prev.index IS NULL THEN NULL
                WHEN cur.index - prev.index > 5 THEN 'up'
                WHEN cur.index - prev.index < -5 THEN 'down'
                ELSE 'flat' END
    FROM kam.account AS a
    CROSS JOIN chain_weight AS cw
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
    LEFT JOIN covered AS cv ON cv.account_id = a.account_id
    LEFT JOIN engaged_contacts AS ec ON ec.account_id = a.account_id;
END;
COMMENT ON FUNCTION kam.relationship_scores_as_of(date) IS
  'kam.relationship_health_as_of and whether the decision chain is single-threaded (exactly one contact engaged), computed from one grouping of the interactions: index and construct scores, interaction strength, two-way share, one-way flag, last contact, decision-chain coverage, previous index, change and trend per account';

CREATE FUNCTION kam.relationship_health_as_of(as_of date)
RETURNS TABLE (account_id bigint, account_name text, relationship_index double precision,
               trust double precision, satisfaction double precision, commitment double precision,
               cooperation_intent double precision, interaction_strength double precision,
               two_way_share double precision, one_way boolean, last_contact timestamptz,
               decision_chain_coverage double precision, previous_index double precision,
               index_change double precision, trend text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT s.account_id, s.account_name, s.relationship_index, s.trust, s.satisfaction, s.commitment,
           s.cooperation_intent, s.interaction_strength, s.two_way_share, s.one_way, s.last_contact,
           s.decision_chain_coverage, s.previous_index, s.index_change, s.trend
    FROM kam.relationship_scores_as_of(as_of) AS s;
END;
COMMENT ON FUNCTION kam.relationship_health_as_of(date) IS
  'per account as of a day: relationship index (assessments of the last 365 days) and its construct scores 0..100, interaction strength, share of two-way contact in the window, one-way flag, last contact, decision-chain coverage, the index of the 365 days before and the trend (change beyond +-5 points)';

CREATE VIEW kam.relationship_health WITH (security_invoker = true) AS
    SELECT * FROM kam.relationship_health_as_of(current_date);
COMMENT ON VIEW kam.relationship_health IS 'kam.relationship_health_as_of(current_date)';

CREATE VIEW kam.decision_chain WITH (security_invoker = true) AS
    SELECT * FROM kam.decision_chain_as_of(current_date);
COMMENT ON VIEW kam.decision_chain IS 'kam.decision_chain_as_of(current_date)';

CREATE FUNCTION kam.key_person_risk_as_of(as_of date)
RETURNS TABLE (account_id bigint, strongest_person text, strongest_share double precision,
               people integer, contacts_reached integer, contacts_unreached integer, unreached_contacts text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH ties AS MATERIALIZED (SELECT * FROM kam.contact_strength_as_of(as_of)),
         person AS (SELECT t.account_id, t.internal_person, sum(t.strength) AS strength
                    FROM ties AS t GROUP BY t.account_id, t.internal_person),
         ranked AS (SELECT p.*, sum(p.strength) OVER (PARTITION BY p.account_id) AS total,
                           count(*) OVER (PARTITION BY p.account_id) AS people,
                           row_number() OVER (PARTITION BY p.account_id ORDER BY p.strength DESC, p.internal_person) AS place
                    FROM person AS p),
         engaged AS (SELECT DISTINCT t.contact_id FROM ties AS t WHERE t.engaged AND t.contact_id IS NOT NULL),
         -- (joins, not subqueries per account: those rescanned every tie, quadratic in the accounts)
         reach AS (SELECT c.account_id, count(e.contact_id) AS reached, count(*) FILTER (WHERE e.contact_id IS NULL) AS unreached,
                          string_agg(c.name, ', ' ORDER BY c.name) FILTER (WHERE e.contact_id IS NULL) AS unreached_names
                   FROM kam.contact AS c LEFT JOIN engaged AS e ON e.contact_id = c.contact_id
                   WHERE c.active
                   GROUP BY c.account_id)
    SELECT a.account_id, r.internal_person, r.strength / nullif(r.total, 0), coalesce(r.people, 0)::integer,
           coalesce(c.reached, 0)::integer, coalesce(c.unreached, 0)::integer, c.unreached_names
    FROM kam.account AS a
    LEFT JOIN ranked AS r ON r.account_id = a.account_id AND r.place = 1
    LEFT JOIN reach AS c ON c.account_id = a.account_id;
END;
COMMENT ON FUNCTION kam.key_person_risk_as_of(date) IS
  'per account: our strongest person and their share of all our strength with it (key-person risk), how many of our people hold ties, the active contacts engaged and those nobody reaches';

CREATE VIEW kam.relationship_network WITH (security_invoker = true) AS
    SELECT account_id, contact_id, internal_person, strength, interactions, engaged, last_contact
    FROM kam.contact_strength_as_of(current_date);
COMMENT ON VIEW kam.relationship_network IS
  'the graph of our people and the accounts'' contacts, edges weighted by strength, today';

CREATE VIEW kam.key_person_risk WITH (security_invoker = true) AS
    SELECT * FROM kam.key_person_risk_as_of(current_date);
COMMENT ON VIEW kam.key_person_risk IS 'kam.key_person_risk_as_of(current_date)';

CREATE VIEW kam.person_portfolio WITH (security_invoker = true) AS
    SELECT internal_person, count(DISTINCT account_id)::integer AS accounts,
           count(DISTINCT contact_id)::integer AS contacts, sum(strength) AS strength,
           count(*) FILTER (WHERE engaged)::integer AS engaged_ties
    FROM kam.contact_strength_as_of(current_date)
    GROUP BY internal_person;
COMMENT ON VIEW kam.person_portfolio IS
  'per person of ours: the accounts and contacts they hold ties with, their total strength and engaged ties, today';

-- =====================================================================
-- Daily management: needs, service cases, contact plan, service targets
-- =====================================================================

CREATE TABLE kam.need (
    need_id      bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    account_id   bigint NOT NULL REFERENCES kam.account,
    raised_on    date NOT NULL CHECK (raised_on BETWEEN '1900-01-01' AND '2999-12-31'),
    title        text NOT NULL CHECK (btrim(title) <> ''),
    priority     text NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'met', 'declined')),
    resolved_on  date,
    owner        text,
    CONSTRAINT need_resolution CHECK ((status IN ('met', 'declined')) = (resolved_on IS NOT NULL)
                                      AND (resolved_on IS NULL OR resolved_on >= raised_on))
);
COMMENT ON TABLE kam.need IS
  'an account''s needs and pain points: priority low / medium / high / critical; status open / in_progress / met / declined; resolved_on set exactly when met or declined';
COMMENT ON SEQUENCE kam.need_need_id_seq IS 'identity of kam.need';
CREATE INDEX need_account_idx ON kam.need (account_id, raised_on);
COMMENT ON INDEX kam.need_account_idx IS 'an account''s needs by date';

CREATE TABLE kam.service_case (
    case_id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    account_id         bigint NOT NULL REFERENCES kam.account,
    opened_at          timestamptz NOT NULL CHECK (opened_at BETWEEN '1900-01-01' AND '2999-12-31'),
    first_response_at  timestamptz CHECK (first_response_at >= opened_at),
    resolved_at        timestamptz CHECK (resolved_at >= opened_at),
    severity           text NOT NULL DEFAULT 'medium' CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    title              text
);
COMMENT ON TABLE kam.service_case IS
  'service cases: opened, first response and resolution times, severity low / medium / high / critical';
COMMENT ON SEQUENCE kam.service_case_case_id_seq IS 'identity of kam.service_case';
CREATE INDEX service_case_account_idx ON kam.service_case (account_id, opened_at);
COMMENT ON INDEX kam.service_case_account_idx IS 'an account''s service cases by time';

CREATE TABLE kam.contact_plan (
    class        text NOT NULL CHECK (class IN ('core', 'important', 'general')),
    valid_from   date NOT NULL,
    max_days     integer NOT NULL CHECK (max_days BETWEEN 1 AND 3650),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    recorded_by  name NOT NULL DEFAULT current_user,
    PRIMARY KEY (class, valid_from)
);
COMMENT ON TABLE kam.contact_plan IS
  'the longest allowed gap in days between two-way contacts per account class, from valid_from on (defaults: core 14, important 30, general 90)';

CREATE TABLE kam.service_target (
    severity              text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    class                 text NOT NULL CHECK (class IN ('core', 'important', 'general', 'any')),
    valid_from            date NOT NULL,
    first_response_hours  double precision NOT NULL CHECK (first_response_hours > 0 AND first_response_hours < 1e6),
    resolution_hours      double precision NOT NULL CHECK (resolution_hours > 0 AND resolution_hours < 1e6),
    recorded_at           timestamptz NOT NULL DEFAULT now(),
    recorded_by           name NOT NULL DEFAULT current_user,
    PRIMARY KEY (severity, class, valid_from)
);
COMMENT ON TABLE kam.service_target IS
  'service-level targets per severity and account class (''any'' = every class) from valid_from on; defaults in README';

SELECT pg_catalog.pg_extension_config_dump('kam.need', '');
SELECT pg_catalog.pg_extension_config_dump('kam.need_need_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kam.service_case', '');
SELECT pg_catalog.pg_extension_config_dump('kam.service_case_case_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kam.contact_plan', '');
SELECT pg_catalog.pg_extension_config_dump('kam.service_target', '');

SELECT kam.enable_team_security('kam.need');
SELECT kam.enable_team_security('kam.service_case');

CREATE FUNCTION kam.last_two_way_contact_as_of(as_of date)
RETURNS TABLE (account_id bigint, last_two_way_contact timestamptz)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT i.account_id, max(i.occurred_at)
    FROM kam.interaction AS i
    WHERE i.direction = 'two_way' AND i.occurred_at < (as_of + 1)::timestamptz
    GROUP BY i.account_id;
END;
COMMENT ON FUNCTION kam.last_two_way_contact_as_of(date) IS
  'per account with one: the last two-way interaction by the end of as_of';

CREATE FUNCTION kam.contact_plan_as_of(as_of date)
RETURNS TABLE (class text, max_days integer)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- kam's defaults, each replaced by the user's plan in force on as_of
    SELECT d.class, coalesce((SELECT p.max_days FROM kam.contact_plan AS p
                              WHERE p.class = d.class AND p.valid_from <= as_of
                              ORDER BY p.valid_from DESC LIMIT 1), d.max_days)
    FROM (VALUES ('core', 14), ('important', 30), ('general', 90)) AS d(class, max_days);
END;
COMMENT ON FUNCTION kam.contact_plan_as_of(date) IS
  'the longest allowed gap in days between two-way contacts per account class in force on as_of (defaults core 14, important 30, general 90)';

CREATE FUNCTION kam.cadence_for(last_two_way_contact timestamptz, allowed_days integer, as_of date)
RETURNS TABLE (days_since integer, due_date date, days_overdue integer, status text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT cadence_for.as_of - cadence_for.last_two_way_contact::date,
           cadence_for.last_two_way_contact::date + cadence_for.allowed_days,
           CASE WHEN cadence_for.last_two_way_contact IS NOT NULL
                THEN greatest(0, cadence_for.as_of - (cadence_for.last_two_way_contact::date + cadence_for.allowed_days)) END,
           CASE WHEN cadence_for.last_two_way_contact IS NULL THEN 'never contacted'
                WHEN cadence_for.as_of > cadence_for.last_two_way_contact::date + cadence_for.allowed_days THEN 'overdue'
                WHEN cadence_for.as_of > cadence_for.last_two_way_contact::date + cadence_for.allowed_days - 7 THEN 'due soon'
                ELSE 'ok' END;
END;
COMMENT ON FUNCTION kam.cadence_for(timestamptz, integer, date) IS
  'the contact cadence of one account on as_of from its last two-way contact and the gap its class allows: days since, due date, days overdue, status (ok, due soon = within 7 days, overdue, never contacted); one row';

CREATE FUNCTION kam.contact_cadence_as_of(as_of date)
RETURNS TABLE (account_id bigint, account_name text, class text, last_two_way_contact timestamptz,
               days_since integer, allowed_days integer, due_date date, days_overdue integer, status text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT c.account_id, c.account_name, c.class, l.last_two_way_contact,
           k.days_since, p.max_days, k.due_date, k.days_overdue, k.status
    FROM kam.account_classification_as_of(as_of) AS c
    LEFT JOIN kam.contact_plan_as_of(as_of) AS p ON p.class = c.class
    LEFT JOIN kam.last_two_way_contact_as_of(as_of) AS l ON l.account_id = c.account_id
    CROSS JOIN LATERAL kam.cadence_for(l.last_two_way_contact, p.max_days, as_of) AS k;
END;
COMMENT ON FUNCTION kam.contact_cadence_as_of(date) IS
  'per account: the last two-way contact, days since it, the longest gap its class allows, the due date, days overdue and a status (ok, due soon = within 7 days, overdue, never contacted)';

CREATE VIEW kam.contact_cadence WITH (security_invoker = true) AS
    SELECT * FROM kam.contact_cadence_as_of(current_date);
COMMENT ON VIEW kam.contact_cadence IS 'kam.contact_cadence_as_of(current_date)';

CREATE FUNCTION kam.open_needs_as_of(as_of date)
RETURNS TABLE (need_id bigint, account_id bigint, title text, priority text, status text,
               raised_on date, age_days integer, owner text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT n.need_id, n.account_id, n.title, n.priority, n.status, n.raised_on, as_of - n.raised_on, n.owner
    FROM kam.need AS n
    WHERE n.raised_on <= as_of AND (n.resolved_on IS NULL OR n.resolved_on > as_of)
    ORDER BY array_position(ARRAY['critical', 'high', 'medium', 'low'], n.priority), n.raised_on;
END;
COMMENT ON FUNCTION kam.open_needs_as_of(date) IS
  'the needs open on a day (raised on or before it, not resolved by then), most urgent first, with their age in days';

CREATE FUNCTION kam.needs_status_as_of(as_of date)
RETURNS TABLE (account_id bigint, open_needs integer, open_high_priority integer, oldest_open_days integer,
               needs_resolved integer, share_met double precision, median_days_to_meet double precision)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT a.account_id,
           count(n.need_id) FILTER (WHERE n.resolved_on IS NULL OR n.resolved_on > as_of)::integer,
           count(n.need_id) FILTER (WHERE (n.resolved_on IS NULL OR n.resolved_on > as_of)
                                      AND n.priority IN ('high', 'critical'))::integer,
           max(as_of - n.raised_on) FILTER (WHERE n.resolved_on IS NULL OR n.resolved_on > as_of),
           count(n.need_id) FILTER (WHERE n.resolved_on <= as_of)::integer,
           (count(*) FILTER (WHERE n.resolved_on <= as_of AND n.status = 'met'))::double precision
               / nullif(count(*) FILTER (WHERE n.resolved_on <= as_of), 0),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY n.resolved_on - n.raised_on)
               FILTER (WHERE n.resolved_on <= as_of AND n.status = 'met')
    FROM kam.account AS a
    LEFT JOIN kam.need AS n ON n.account_id = a.account_id AND n.raised_on <= as_of
    GROUP BY a.account_id;
END;
COMMENT ON FUNCTION kam.needs_status_as_of(date) IS
  'per account on a day: open needs, open high or critical ones, age of the oldest open one, needs resolved, share of the resolved ones met (not declined), median days from raised to met';

CREATE VIEW kam.needs_status WITH (security_invoker = true) AS
    SELECT * FROM kam.needs_status_as_of(current_date);
COMMENT ON VIEW kam.needs_status IS 'kam.needs_status_as_of(current_date)';

CREATE VIEW kam.open_needs WITH (security_invoker = true) AS
    SELECT * FROM kam.open_needs_as_of(current_date);
COMMENT ON VIEW kam.open_needs IS 'kam.open_needs_as_of(current_date)';

CREATE FUNCTION kam.service_targets_for(severity text, class text, on_date date)
RETURNS TABLE (first_response_hours double precision, resolution_hours double precision)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- the user's target in force for the class, else for any class, else kam's default
    SELECT coalesce(u.first_response_hours, d.first_response_hours), coalesce(u.resolution_hours, d.resolution_hours)
    FROM (VALUES ('critical', 1.0, 8.0), ('high', 4.0, 24.0), ('medium', 8.0, 72.0), ('low', 24.0, 168.0))
         AS d(severity, first_response_hours, resolution_hours)
    LEFT JOIN LATERAL (SELECT t.first_response_hours, t.resolution_hours FROM kam.service_target AS t
                       WHERE t.severity = service_targets_for.severity AND t.class IN (service_targets_for.class, 'any')
                         AND t.valid_from <= service_targets_for.on_date
                       ORDER BY (t.class = 'any'), t.valid_from DESC LIMIT 1) AS u ON true
    WHERE d.severity = service_targets_for.severity;
END;
COMMENT ON FUNCTION kam.service_targets_for(text, text, date) IS
  'the first-response and resolution targets in hours for a severity and account class in force on a day, as one row (none for an unknown severity); inlined into the query that calls it';

CREATE FUNCTION kam.service_target_for(severity text, class text, on_date date,
                                       OUT first_response_hours double precision, OUT resolution_hours double precision)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT t.first_response_hours, t.resolution_hours FROM kam.service_targets_for(severity, class, on_date) AS t;
END;
COMMENT ON FUNCTION kam.service_target_for(text, text, date) IS
  'the first-response and resolution targets in hours for a severity and account class in force on a day';

CREATE FUNCTION kam.service_quality_as_of(as_of date)
RETURNS TABLE (account_id bigint, period date, cases integer, median_first_response_hours double precision,
               p90_first_response_hours double precision, median_resolution_hours double precision,
               p90_resolution_hours double precision, share_within_target double precision)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- per account and calendar month of opening, cases opened on or before as_of;
    -- times counted only when they happened by the end of as_of
    WITH classes AS MATERIALIZED (SELECT c.account_id, c.class FROM kam.account_classification_as_of(as_of) AS c),
    cases AS (
        SELECT s.account_id, date_trunc('month', s.opened_at)::date AS period,
               CASE WHEN s.first_response_at < (as_of + 1)::timestamptz
                    THEN extract(epoch FROM s.first_response_at - s.opened_at) / 3600 END AS first_response,
               CASE WHEN s.resolved_at < (as_of + 1)::timestamptz
                    THEN extract(epoch FROM s.resolved_at - s.opened_at) / 3600 END AS resolution,
               t.first_response_hours, t.resolution_hours
        FROM kam.service_case AS s
        LEFT JOIN classes AS c ON c.account_id = s.account_id
        CROSS JOIN LATERAL kam.service_targets_for(s.severity, coalesce(c.class, 'general'), s.opened_at::date) AS t
        WHERE s.opened_at < (as_of + 1)::timestamptz)
    SELECT c.account_id, c.period, count(*)::integer,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY c.first_response),
           percentile_cont(0.9) WITHIN GROUP (ORDER BY c.first_response),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY c.resolution),
           percentile_cont(0.9) WITHIN GROUP (ORDER BY c.resolution),
           -- of the cases resolved: answered and resolved within their targets
           (count(*) FILTER (WHERE c.resolution IS NOT NULL AND c.first_response <= c.first_response_hours
                               AND c.resolution <= c.resolution_hours))::double precision
               / nullif(count(*) FILTER (WHERE c.resolution IS NOT NULL), 0)
    FROM cases AS c
    GROUP BY c.account_id, c.period;
END;
COMMENT ON FUNCTION kam.service_quality_as_of(date) IS
  'per account and calendar month of opening: cases, median and 90th percentile (interpolated) of first-response and resolution hours, share of resolved cases answered and resolved within the targets in force when they were opened';

CREATE VIEW kam.service_quality WITH (security_invoker = true) AS
    SELECT * FROM kam.service_quality_as_of(current_date);
COMMENT ON VIEW kam.service_quality IS 'kam.service_quality_as_of(current_date)';

CREATE FUNCTION kam.lifecycle_for(status text, orders_total integer, recency_days integer, first_order_date date,
                                  orders_12m integer, churn_risk text, revenue_growth double precision, as_of date)
RETURNS TABLE (stage text, reason text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- the first rule that holds decides (README, "Lifecycle"): its number
    -- picks the stage (a CASE, where sorting the rules that hold took a
    -- sort per account)
    SELECT rule.stage, rule.reason
    FROM (VALUES
        (1, 'lost', 'status lost'),
        (2, 'prospect', 'no order yet'),
        (3, 'lost', 'no order for more than 24 months'),
        (4, 'new', 'first order within 12 months'),
        (5, 'at risk', 'no order in the last 12 months'),
        (6, 'at risk', 'churn risk high (P(alive) below the high threshold)'),
        (7, 'declining', 'revenue down more than 10 % on the prior 12 months'),
        (8, 'growing', 'revenue up more than 10 % on the prior 12 months'),
        (9, 'mature', 'steady revenue')) AS rule(number, stage, reason)
    WHERE rule.number = CASE WHEN lifecycle_for.status = 'lost' THEN 1
                             WHEN lifecycle_for.orders_total = 0 THEN 2
                             WHEN lifecycle_for.recency_days > 730 THEN 3
                             WHEN lifecycle_for.first_order_date > (lifecycle_for.as_of - interval '12 months')::date THEN 4
                             WHEN lifecycle_for.orders_12m = 0 THEN 5
                             WHEN lifecycle_for.churn_risk = 'high' THEN 6
                             WHEN lifecycle_for.revenue_growth < -0.10 THEN 7
                             WHEN lifecycle_for.revenue_growth > 0.10 THEN 8
                             ELSE 9 END;
END;
COMMENT ON FUNCTION kam.lifecycle_for(text, integer, integer, date, integer, text, double precision, date) IS
  'the lifecycle stage of one account from its status, orders, recency, first order, churn risk and revenue growth on as_of, by the first rule that holds, with the reason; one row';

CREATE FUNCTION kam.account_lifecycle_as_of(as_of date)
RETURNS TABLE (account_id bigint, account_name text, stage text, reason text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT v.account_id, v.account_name, r.stage, r.reason
    FROM kam.account_value_as_of(as_of) AS v
    JOIN kam.account AS a ON a.account_id = v.account_id
    LEFT JOIN kam.account_clv_as_of(as_of) AS c ON c.account_id = v.account_id
    CROSS JOIN LATERAL kam.lifecycle_for(a.status, v.orders_total, v.recency_days, v.first_order_date,
                                         v.orders_12m, c.churn_risk, v.revenue_growth, as_of) AS r;
END;
COMMENT ON FUNCTION kam.account_lifecycle_as_of(date) IS
  'each account''s lifecycle stage on a day (prospect, new, growing, mature, declining, at risk, lost) by the first rule that holds, with the reason';

CREATE VIEW kam.account_lifecycle WITH (security_invoker = true) AS
    SELECT * FROM kam.account_lifecycle_as_of(current_date);
COMMENT ON VIEW kam.account_lifecycle IS 'kam.account_lifecycle_as_of(current_date)';

CREATE TABLE kam.kpi_threshold (
    kpi               text NOT NULL CHECK (kpi IN ('sales_growth', 'nps', 'csat', 'retention_rate', 'relationship_index',
                                                   'decision_chain_coverage', 'service_level_share', 'p_alive')),
    class             text NOT NULL CHECK (class IN ('core', 'important', 'general', 'any')),
    valid_from        date NOT NULL,
    target            double precision NOT NULL CHECK (target > '-Infinity' AND target < 'Infinity'),
    warning           double precision NOT NULL CHECK (warning > '-Infinity' AND warning < 'Infinity'),
    critical          double precision NOT NULL CHECK (critical > '-Infinity' AND critical < 'Infinity'),
    higher_is_better  boolean NOT NULL DEFAULT true,
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    recorded_by       name NOT NULL DEFAULT current_user,
    PRIMARY KEY (kpi, class, valid_from),
    CONSTRAINT kpi_threshold_order CHECK (CASE WHEN higher_is_better THEN target >= warning AND warning >= critical
                                               ELSE target <= warning AND warning <= critical END)
);
COMMENT ON TABLE kam.kpi_threshold IS
  'KPI thresholds per account class (''any'' = every class) from valid_from on: green at or beyond target, amber at or beyond warning, red otherwise; critical marks the worst';
SELECT pg_catalog.pg_extension_config_dump('kam.kpi_threshold', '');

CREATE FUNCTION kam.review_kinds(kinds text[]) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF kinds IS NULL OR array_position(kinds, NULL) IS NOT NULL
       OR NOT kinds <@ ARRAY['account', 'kpi', 'alert'] THEN
        RAISE EXCEPTION 'daily review kinds % are not allowed: each must be account, kpi or alert', kinds
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN kinds;
END $$;
COMMENT ON FUNCTION kam.review_kinds(text[]) IS
  'the kinds of rows asked of kam.daily_review_as_of, checked: account, kpi or alert';

CREATE FUNCTION kam.daily_review_as_of(as_of date, kinds text[] DEFAULT ARRAY['account', 'kpi', 'alert'])
RETURNS TABLE (
    kind text, account_id bigint, account_name text, class text,
    -- kind 'account': the 360 view's columns
    status text, class_rule text, lifecycle_stage text, revenue_12m numeric, revenue_growth double precision,
    abc_class text, rfm_segment text, recency_days integer, p_alive double precision, churn_risk text,
    predicted_clv double precision, relationship_index double precision, relationship_trend text,
    interaction_strength double precision, decision_chain_coverage double precision, one_way boolean,
    contact_status text, days_overdue integer, open_needs integer, oldest_open_need_days integer,
    kpis_red integer, kpis_amber integer, alerts integer, top_alert text,
    -- kind 'kpi': one KPI of an account
    kpi text, value double precision, target double precision, warning double precision, critical double precision,
    kpi_status text, is_critical boolean, threshold_valid_from date,
    -- kind 'alert': one problem of an account
    severity text, rule text, evidence text, next_action text)
LANGUAGE sql STABLE PARALLEL SAFE
-- (its plan is large: JIT compilation would cost seconds, longer than the
-- review runs on most portfolios)
SET jit = off
BEGIN ATOMIC
    -- Every component once (materialized), read by the kinds of rows asked
    -- for; the kinds not asked for are never run, nor the components only
    -- they need (kam.account_360_as_of, kam.alerts_as_of, kam.kpi_status_as_of
    -- and kam.kpi_values_as_of each ask for one kind).
    WITH settings AS MATERIALIZED (
        SELECT coalesce(kam.setting_value('detractor_followup_days', as_of)::integer, 7) AS followup_days,
               coalesce(kam.setting_value('need_open_alert_days', as_of)::integer, 30) AS need_days,
               coalesce(kam.setting_value('index_drop_alert', as_of)::double precision, 10) AS index_drop),
    -- (with each account's purchase days, from the same pass over the orders)
    acc AS MATERIALIZED (SELECT * FROM kam.classified_accounts_as_of(as_of, true)),
    -- kam.account_clv_as_of of these accounts, from their purchase days:
    -- the calibration's own pass over the orders took as long as the value
    -- analysis
    model AS MATERIALIZED (SELECT m FROM kam.clv_scoring_as_of(as_of) AS m),
    clv AS MATERIALIZED (
        SELECT a.account_id, (m.m).model_id, c.x, c.t_x, c."T", s.p_alive, s.expected_transactions,
               s.expected_value, s.predicted_clv, s.churn_risk
        FROM model AS m
        CROSS JOIN acc AS a
        CROSS JOIN LATERAL kam.clv_summary_of(a.purchase_days, as_of, (m.m).unit_days) AS c
        CROSS JOIN LATERAL kam.clv_scores(m.m, c.x, c.t_x, c."T", c.mean_value) AS s
        WHERE a.purchase_days IS NOT NULL),
    -- relationship health with the decision chain's summary
    health AS MATERIALIZED (SELECT * FROM kam.relationship_scores_as_of(as_of)),
    -- the 12 months ending on as_of
    survey AS (
        SELECT r.account_id, kam.nps(r.score) FILTER (WHERE r.kind = 'nps') AS nps,
               kam.csat(r.score) FILTER (WHERE r.kind = 'csat') AS csat
        FROM kam.survey_response AS r
        WHERE r.responded_on <= as_of AND r.responded_on > (as_of - interval '12 months')::date
        GROUP BY r.account_id),
    -- the service cases opened in the 12 months (or later) with their
    -- targets, looked up once per severity, class and day opened (once per
    -- case, the lookups took 0.4 s at 100 000 cases)
    cases AS MATERIALIZED (
        SELECT q.account_id, q.severity, q.opened_at, q.first_response_at, q.resolved_at,
               coalesce(k.class, 'general') AS class, q.opened_at::date AS opened_on
        FROM kam.service_case AS q
        LEFT JOIN acc AS k ON k.account_id = q.account_id
        WHERE q.opened_at >= (as_of - interval '12 months' + interval '1 day')::timestamptz),
    case_targets AS MATERIALIZED (
        SELECT d.severity, d.class, d.opened_on, t.first_response_hours, t.resolution_hours
        FROM (SELECT DISTINCT c.severity, c.class, c.opened_on FROM cases AS c) AS d
        CROSS JOIN LATERAL kam.service_targets_for(d.severity, d.class, d.opened_on) AS t),
    service AS (
        SELECT q.account_id,
               (count(*) FILTER (WHERE extract(epoch FROM q.first_response_at - q.opened_at) / 3600 <= t.first_response_hours
                                   AND extract(epoch FROM q.resolved_at - q.opened_at) / 3600 <= t.resolution_hours))::double precision
                   / nullif(count(*), 0) AS share
        FROM cases AS q
        JOIN case_targets AS t USING (severity, class, opened_on)
        WHERE q.resolved_at < (as_of + 1)::timestamptz
        GROUP BY q.account_id),
    defaults(kpi, target, warning, critical, higher_is_better) AS (VALUES
        ('sales_growth', 0.05, 0.0, -0.10, true), ('nps', 30.0, 0.0, -20.0, true), ('csat', 80.0, 70.0, 60.0, true),
        ('retention_rate', 0.80, 0.70, 0.60, true), ('relationship_index', 70.0, 55.0, 40.0, true),
        ('decision_chain_coverage', 0.70, 0.50, 0.30, true), ('service_level_share', 0.95, 0.85, 0.70, true),
        ('p_alive', 0.70, 0.50, 0.30, true)),
    -- the thresholds in force per KPI and class: the user's for the class, else for any class, else kam's default
    -- (once per KPI and class, not per account: a lookup per row cost seconds at 100 000 accounts)
    thresholds AS MATERIALIZED (
        SELECT d.kpi, cl.class, coalesce(u.target, d.target) AS target, coalesce(u.warning, d.warning) AS warning,
               coalesce(u.critical, d.critical) AS critical,
               coalesce(u.higher_is_better, d.higher_is_better) AS higher_is_better, u.valid_from
        FROM defaults AS d
        -- ('' for an account no rule classed: only 'any' thresholds apply to it)
        CROSS JOIN (VALUES ('core'), ('important'), ('general'), ('')) AS cl(class)
        LEFT JOIN LATERAL (SELECT k.* FROM kam.kpi_threshold AS k
                           WHERE k.kpi = d.kpi AND k.class IN (cl.class, 'any') AND k.valid_from <= as_of
                           ORDER BY (k.class = 'any'), k.valid_from DESC LIMIT 1) AS u ON true),
    -- each account's KPI values in one row, then a row per KPI: joining the
    -- components to 800 000 KPI rows sorted each of them eight times over
    kpi_input AS MATERIALIZED (
        SELECT a.account_id, a.account_name, a.class, a.revenue_growth, a.retention_rate, s.nps, s.csat,
               h.relationship_index, h.decision_chain_coverage, q.share AS service_level_share, c.p_alive
        FROM acc AS a
        LEFT JOIN health AS h ON h.account_id = a.account_id
        LEFT JOIN clv AS c ON c.account_id = a.account_id
        LEFT JOIN survey AS s ON s.account_id = a.account_id
        LEFT JOIN service AS q ON q.account_id = a.account_id),
    kpis AS MATERIALIZED (
        SELECT k.account_id, k.account_name, k.class, k.kpi, k.value, t.target, t.warning, t.critical,
               CASE WHEN k.value IS NULL THEN NULL
                    WHEN (t.higher_is_better AND k.value >= t.target) OR (NOT t.higher_is_better AND k.value <= t.target) THEN 'green'
                    WHEN (t.higher_is_better AND k.value >= t.warning) OR (NOT t.higher_is_better AND k.value <= t.warning) THEN 'amber'
                    ELSE 'red' END AS status,
               CASE WHEN k.value IS NOT NULL
                    THEN (t.higher_is_better AND k.value < t.critical) OR (NOT t.higher_is_better AND k.value > t.critical) END AS is_critical,
               t.valid_from
        FROM (SELECT a.account_id, a.account_name, a.class, v.kpi, v.value
              FROM kpi_input AS a
              CROSS JOIN LATERAL (VALUES ('sales_growth', a.revenue_growth), ('nps', a.nps), ('csat', a.csat),
                                         ('retention_rate', a.retention_rate), ('relationship_index', a.relationship_index),
                                         ('decision_chain_coverage', a.decision_chain_coverage),
                                         ('service_level_share', a.service_level_share), ('p_alive', a.p_alive)) AS v(kpi, value)
              -- (a fence: planned as one query, each account met the 32
              -- thresholds first and its eight values were matched to them)
              OFFSET 0) AS k
        JOIN thresholds AS t ON t.kpi = k.kpi AND t.class = coalesce(k.class, '')),
    cadence AS MATERIALIZED (
        SELECT a.account_id, a.class, l.last_two_way_contact, p.max_days AS allowed_days, k.*
        FROM acc AS a
        LEFT JOIN kam.contact_plan_as_of(as_of) AS p ON p.class = a.class
        LEFT JOIN kam.last_two_way_contact_as_of(as_of) AS l ON l.account_id = a.account_id
        CROSS JOIN LATERAL kam.cadence_for(l.last_two_way_contact, p.max_days, as_of) AS k),
    alert AS MATERIALIZED (
        -- 1 a core account overdue for contact
        SELECT c.account_id, 'high' AS severity, 'core account overdue for contact' AS rule,
               format('last two-way contact %s, %s days ago; allowed %s days, %s days overdue',
                      c.last_two_way_contact::date, c.days_since, c.allowed_days, c.days_overdue) AS evidence,
               'schedule a meeting or call with the account this week' AS next_action
        FROM cadence AS c
        WHERE c.class = 'core' AND c.status IN ('overdue', 'never contacted')
        UNION ALL
        -- 2 a detractor not followed by a two-way contact within the follow-up days
        SELECT r.account_id, 'high', 'detractor not followed up',
               format('NPS answer %s on %s; no two-way contact within %s days', r.score, r.responded_on, p.followup_days),
               'call the respondent, listen, and record the need'
        FROM kam.survey_response AS r, settings AS p
        WHERE r.kind = 'nps' AND r.score <= 6 AND r.responded_on + p.followup_days < as_of
          AND r.responded_on > as_of - 90
          AND NOT EXISTS (SELECT 1 FROM kam.interaction AS i
                          WHERE i.account_id = r.account_id AND i.direction = 'two_way'
                            AND i.occurred_at >= r.responded_on::timestamptz
                            AND i.occurred_at < (r.responded_on + p.followup_days + 1)::timestamptz)
        UNION ALL
        -- 3 the relationship index fell by more than the drop threshold
        SELECT h.account_id, 'medium', 'relationship index falling',
               format('index %s, %s a year before (%s points)', round(h.relationship_index::numeric, 1),
                      round(h.previous_index::numeric, 1), round(h.index_change::numeric, 1)),
               'review the assessment with the account team and agree actions'
        FROM health AS h, settings AS p
        WHERE h.index_change < -p.index_drop
        UNION ALL
        -- 4 churn risk high
        SELECT c.account_id, 'high', 'churn risk high',
               format('P(alive) %s (x %s, last purchase week %s of %s)', round(c.p_alive::numeric, 2), c.x,
                      round(c.t_x::numeric, 1), round(c."T"::numeric, 1)),
               'contact the decision maker about their plans and our offer'
        FROM clv AS c
        WHERE c.churn_risk = 'high'
        UNION ALL
        -- 5 a high-priority need open too long
        SELECT n.account_id, 'medium', 'high-priority need open too long',
               format('%s need "%s" open %s days (limit %s)', n.priority, n.title, n.age_days, p.need_days),
               'escalate the need to its owner''s manager with a date'
        FROM kam.open_needs_as_of(as_of) AS n, settings AS p
        WHERE n.priority IN ('high', 'critical') AND n.age_days > p.need_days
        UNION ALL
        -- 6 a core account that is single-threaded
        SELECT d.account_id, 'medium', 'core account single-threaded',
               format('one contact engaged; decision-chain coverage %s %%', round(100 * d.decision_chain_coverage::numeric)),
               'get introduced to a second decision maker or influencer'
        FROM health AS d JOIN acc AS a ON a.account_id = d.account_id
        WHERE a.class = 'core' AND d.single_threaded
        UNION ALL
        -- 7 a service target missed in the last 30 days
        SELECT q.account_id, CASE WHEN q.severity IN ('critical', 'high') THEN 'high' ELSE 'medium' END,
               'service target missed',
               format('%s case opened %s: first response %s h (target %s), resolution %s h (target %s)', q.severity,
                      q.opened_at::date,
                      coalesce(round((extract(epoch FROM q.first_response_at - q.opened_at) / 3600)::numeric, 1)::text, 'none'),
                      t.first_response_hours,
                      coalesce(round((extract(epoch FROM q.resolved_at - q.opened_at) / 3600)::numeric, 1)::text, 'none'),
                      t.resolution_hours),
               'review the case with service and tell the account what changes'
        FROM cases AS q
        JOIN case_targets AS t USING (severity, class, opened_on)
        WHERE q.opened_at >= (as_of - 29)::timestamptz AND q.opened_at < (as_of + 1)::timestamptz
          AND (coalesce(q.first_response_at, (as_of + 1)::timestamptz) > q.opened_at + make_interval(secs => t.first_response_hours * 3600)
               OR coalesce(q.resolved_at, (as_of + 1)::timestamptz) > q.opened_at + make_interval(secs => t.resolution_hours * 3600))
        UNION ALL
        -- 8 a KPI in red
        SELECT k.account_id, CASE WHEN k.is_critical THEN 'high' ELSE 'medium' END, 'KPI in red',
               format('%s %s (target %s, warning %s)', k.kpi, round(k.value::numeric, 3), k.target, k.warning),
               'put the KPI on the agenda of the next account review'
        FROM kpis AS k
        WHERE k.status = 'red' AND k.kpi <> 'retention_rate'),
    -- an alert belongs to an account that is classed (it is visible: RLS)
    alert_of_account AS (SELECT a.account_name, e.* FROM alert AS e JOIN acc AS a ON a.account_id = e.account_id)
    SELECT 'account', a.account_id, a.account_name, a.class,
           a.status, a.decided_by, l.stage, a.revenue_12m, a.revenue_growth, a.abc_class, a.rfm_segment, a.recency_days,
           c.p_alive, c.churn_risk, c.predicted_clv,
           h.relationship_index, h.trend, h.interaction_strength, h.decision_chain_coverage, h.one_way,
           cd.status, cd.days_overdue, n.open_needs, n.oldest_open_days,
           coalesce(k.red, 0), coalesce(k.amber, 0), coalesce(e.alerts, 0), e.top,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM acc AS a
    LEFT JOIN clv AS c ON c.account_id = a.account_id
    CROSS JOIN LATERAL kam.lifecycle_for(a.status, a.orders_total, a.recency_days, a.first_order_date,
                                         a.orders_12m, c.churn_risk, a.revenue_growth, as_of) AS l
    LEFT JOIN health AS h ON h.account_id = a.account_id
    LEFT JOIN cadence AS cd ON cd.account_id = a.account_id
    LEFT JOIN kam.needs_status_as_of(as_of) AS n ON n.account_id = a.account_id
    LEFT JOIN (SELECT k.account_id, (count(*) FILTER (WHERE k.status = 'red'))::integer AS red,
                      (count(*) FILTER (WHERE k.status = 'amber'))::integer AS amber
               FROM kpis AS k GROUP BY k.account_id) AS k ON k.account_id = a.account_id
    -- the top alert: the least of severity rank, rule, \x01, evidence in byte
    -- order (a rule holds no \x01), shown as 'rule: evidence' (a minimum,
    -- where an ordered array_agg sorted the alerts of every account)
    LEFT JOIN (SELECT e.account_id, e.alerts,
                      overlay(substr(e.least_key, 2) PLACING ': '
                              FROM strpos(substr(e.least_key, 2), E'\x01') FOR 1) AS top
               FROM (SELECT e.account_id, count(*)::integer AS alerts,
                            min(array_position(ARRAY['high', 'medium', 'low'], e.severity)::text
                                || e.rule || E'\x01' || e.evidence COLLATE "C") AS least_key
                     -- (the alerts of the accounts shown: the join to acc drops the others)
                     FROM alert AS e GROUP BY e.account_id) AS e) AS e ON e.account_id = a.account_id
    WHERE 'account' = ANY (kam.review_kinds(daily_review_as_of.kinds))
    UNION ALL
    SELECT 'kpi', k.account_id, k.account_name, k.class,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           k.kpi, k.value, k.target, k.warning, k.critical, k.status, k.is_critical, k.valid_from,
           NULL, NULL, NULL, NULL
    FROM kpis AS k
    WHERE 'kpi' = ANY (kam.review_kinds(daily_review_as_of.kinds))
    UNION ALL
    SELECT 'alert', e.account_id, e.account_name, NULL,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           e.severity, e.rule, e.evidence, e.next_action
    FROM alert_of_account AS e
    WHERE 'alert' = ANY (kam.review_kinds(daily_review_as_of.kinds));
END;
COMMENT ON FUNCTION kam.daily_review_as_of(date, text[]) IS
  'the day''s review of every account, each component computed once, in the kinds of rows asked for: ''account'' per account (the 360 view), ''kpi'' per account and KPI (value, thresholds, status), ''alert'' per problem (read through kam.account_360_as_of, kam.kpi_status_as_of, kam.kpi_values_as_of and kam.alerts_as_of)';

CREATE FUNCTION kam.kpi_values_as_of(as_of date)
RETURNS TABLE (account_id bigint, kpi text, value double precision)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.account_id, r.kpi, r.value FROM kam.daily_review_as_of(as_of, ARRAY['kpi']) AS r WHERE r.kind = 'kpi';
END;
COMMENT ON FUNCTION kam.kpi_values_as_of(date) IS
  'the value of each KPI per account over the 12 months ending on as_of (NULL where there is nothing to measure)';

CREATE FUNCTION kam.kpi_status_as_of(as_of date)
RETURNS TABLE (account_id bigint, class text, kpi text, value double precision, target double precision,
               warning double precision, critical double precision, status text, is_critical boolean,
               threshold_valid_from date)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.account_id, r.class, r.kpi, r.value, r.target, r.warning, r.critical, r.kpi_status, r.is_critical,
           r.threshold_valid_from
    FROM kam.daily_review_as_of(as_of, ARRAY['kpi']) AS r WHERE r.kind = 'kpi';
END;
COMMENT ON FUNCTION kam.kpi_status_as_of(date) IS
  'per account and KPI over the 12 months ending on as_of: value, thresholds in force that day for the account''s class, status green / amber / red and whether beyond critical (kam.account_kpi_as_of without the comparison with the year before)';

CREATE FUNCTION kam.account_kpi_as_of(as_of date)
RETURNS TABLE (account_id bigint, class text, kpi text, value double precision, target double precision,
               warning double precision, critical double precision, status text, is_critical boolean,
               previous_value double precision, change double precision, threshold_valid_from date)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT n.account_id, n.class, n.kpi, n.value, n.target, n.warning, n.critical, n.status, n.is_critical,
           p.value, n.value - p.value, n.threshold_valid_from
    FROM kam.kpi_status_as_of(as_of) AS n
    LEFT JOIN kam.kpi_values_as_of((as_of - interval '12 months')::date) AS p ON p.account_id = n.account_id AND p.kpi = n.kpi;
END;
COMMENT ON FUNCTION kam.account_kpi_as_of(date) IS
  'per account and KPI over the 12 months ending on as_of: value, thresholds in force that day for the account''s class, status green / amber / red, whether beyond critical, the value of the 12 months before and the change';

CREATE VIEW kam.account_kpi WITH (security_invoker = true) AS
    SELECT * FROM kam.account_kpi_as_of(current_date);
COMMENT ON VIEW kam.account_kpi IS 'kam.account_kpi_as_of(current_date)';

CREATE FUNCTION kam.alerts_as_of(as_of date)
RETURNS TABLE (account_id bigint, account_name text, severity text, rule text, evidence text, next_action text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.account_id, r.account_name, r.severity, r.rule, r.evidence, r.next_action
    FROM kam.daily_review_as_of(as_of, ARRAY['alert']) AS r
    WHERE r.kind = 'alert'
    ORDER BY array_position(ARRAY['high', 'medium', 'low'], r.severity), r.account_id, r.rule, r.evidence;
END;
COMMENT ON FUNCTION kam.alerts_as_of(date) IS
  'one row per problem on a day: account, severity, the rule that fired, its evidence and a suggested next action (rules: README, "Alerts")';

CREATE VIEW kam.alerts WITH (security_invoker = true) AS
    SELECT * FROM kam.alerts_as_of(current_date);
COMMENT ON VIEW kam.alerts IS 'kam.alerts_as_of(current_date)';

CREATE FUNCTION kam.account_360_as_of(as_of date)
RETURNS TABLE (account_id bigint, account_name text, status text, class text, class_rule text, lifecycle_stage text,
               revenue_12m numeric, revenue_growth double precision, abc_class text, rfm_segment text,
               recency_days integer, p_alive double precision, churn_risk text, predicted_clv double precision,
               relationship_index double precision, relationship_trend text, interaction_strength double precision,
               decision_chain_coverage double precision, one_way boolean, contact_status text, days_overdue integer,
               open_needs integer, oldest_open_need_days integer, kpis_red integer, kpis_amber integer,
               alerts integer, top_alert text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.account_id, r.account_name, r.status, r.class, r.class_rule, r.lifecycle_stage,
           r.revenue_12m, r.revenue_growth, r.abc_class, r.rfm_segment, r.recency_days,
           r.p_alive, r.churn_risk, r.predicted_clv,
           r.relationship_index, r.relationship_trend, r.interaction_strength, r.decision_chain_coverage, r.one_way,
           r.contact_status, r.days_overdue, r.open_needs, r.oldest_open_need_days,
           r.kpis_red, r.kpis_amber, r.alerts, r.top_alert
    FROM kam.daily_review_as_of(as_of, ARRAY['account']) AS r WHERE r.kind = 'account';
END;
COMMENT ON FUNCTION kam.account_360_as_of(date) IS
  'one row per account on a day with everything kam knows: class and rule, lifecycle, value, churn and CLV, relationship, contact cadence, needs, KPI status counts, alerts and the most severe one';

CREATE VIEW kam.account_360 WITH (security_invoker = true) AS
    SELECT * FROM kam.account_360_as_of(current_date);
COMMENT ON VIEW kam.account_360 IS 'kam.account_360_as_of(current_date): the one place a key-account manager looks';

CREATE TABLE kam.kpi_history (
    as_of        date NOT NULL,
    account_id   bigint NOT NULL REFERENCES kam.account,
    kpi          text NOT NULL,
    value        double precision,
    target       double precision,
    status       text CHECK (status IN ('green', 'amber', 'red')),
    is_critical  boolean,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (as_of, account_id, kpi)
);
COMMENT ON TABLE kam.kpi_history IS
  'KPI evaluations stored by kam.snapshot_kpis: one row per day, account and KPI';
SELECT pg_catalog.pg_extension_config_dump('kam.kpi_history', '');
SELECT kam.enable_team_security('kam.kpi_history');

CREATE FUNCTION kam.snapshot_kpis(as_of date DEFAULT current_date) RETURNS bigint
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    stored bigint;
BEGIN
    -- idempotent: a second run of the same day replaces its rows; rows are
    -- written in one order (account, KPI), so concurrent runs queue on the
    -- same keys instead of deadlocking, and ON CONFLICT never duplicates
    INSERT INTO kam.kpi_history AS h (as_of, account_id, kpi, value, target, status, is_critical)
    SELECT snapshot_kpis.as_of, k.account_id, k.kpi, k.value, k.target, k.status, k.is_critical
    FROM kam.kpi_status_as_of(snapshot_kpis.as_of) AS k
    ORDER BY k.account_id, k.kpi
    ON CONFLICT (as_of, account_id, kpi) DO UPDATE
        SET value = excluded.value, target = excluded.target, status = excluded.status,
            is_critical = excluded.is_critical, recorded_at = now();
    GET DIAGNOSTICS stored = ROW_COUNT;
    RETURN stored;
END $$;
COMMENT ON FUNCTION kam.snapshot_kpis(date) IS
  'stores the KPI evaluation of a day in kam.kpi_history (one row per account and KPI; running it again for the day replaces them); returns the rows written';

CREATE VIEW kam.kpi_trend WITH (security_invoker = true) AS
    SELECT h.account_id, h.kpi, h.as_of, h.value, h.status,
           h.value - lag(h.value) OVER (PARTITION BY h.account_id, h.kpi ORDER BY h.as_of) AS change,
           lag(h.as_of) OVER (PARTITION BY h.account_id, h.kpi ORDER BY h.as_of) AS previous_as_of
    FROM kam.kpi_history AS h;
COMMENT ON VIEW kam.kpi_trend IS
  'the stored KPI evaluations with the change since the previous snapshot of the same account and KPI';
