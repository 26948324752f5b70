-- kam 0.1.0 -> 0.2.0
\echo Use "ALTER EXTENSION kam UPDATE TO '0.2.0'" to load this file. \quit

-- Only pg_catalog resolves the names this script leaves unqualified:
-- CREATE EXTENSION would put the creating schema (often public, which other
-- roles may be able to write) on the path, where a look-alike function or
-- operator with a closer-matching signature would be bound into kam's
-- views, defaults and constraints for good.  SET LOCAL, not SET: CREATE/ALTER
-- EXTENSION restores the caller's search_path when the script ends only if
-- the script did not SET it (a plain SET here stayed in force in the
-- caller's session afterwards).
SET LOCAL search_path = pg_catalog, pg_temp;

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
-- The CLV calibration's pass over the orders (kam.clv_calibration reads it):
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

-- The value analysis with what the classification reads (kam.classified_accounts_as_of):
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

-- kam.account_value_as_of no longer reads kam.order_summary_state:
COMMENT ON AGGREGATE kam.order_summary_state(date, bigint, bigint, date) IS
  'kam.order_summary without its final function: the 14-slot state itself (kam.account_value_as_of takes the same steps per order itself)';

-- A CLV model with the settings of its scores (kam.clv_scoring_as_of, kam.clv_scores):
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

-- The functions of a day, rewritten for 100 000 accounts (test/bench/RESULTS.md):
-- - relationship_health_as_of, decision_chain_as_of and key_person_risk_as_of
--   joined per account by subqueries that rescanned every score or tie once
--   per account (quadratic: minutes at 100 000 accounts); joins now;
-- - the SQL functions returning rows have BEGIN ATOMIC bodies (bound when
--   created, so search_path cannot change them) instead of a SET clause,
--   which lets the planner inline them into the query that calls them;
-- - the 360 view, the alerts and the KPIs read one review of the day
--   (kam.daily_review_as_of) that computes each component once; the rules
--   of one account (lifecycle, cadence) are functions of its figures
--   (kam.lifecycle_for, kam.cadence_for) that the
--   views and the review share; the review reads each account's purchase
--   days from the value analysis's pass over the orders
--   (kam.account_standing_as_of) and scores the CLV from them with the
--   functions account_clv_as_of uses (kam.clv_summary_of, kam.clv_scores).
-- (CREATE OR REPLACE is safe here: schema kam is the extension's, no one
-- else creates in it.)
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

-- kam.convert_amount refuses NaN and infinite amounts (it returned NaN):
CREATE OR REPLACE FUNCTION kam.convert_amount(amount numeric, currency text, on_date date, reporting_currency text)
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
CREATE OR REPLACE FUNCTION kam.account_classification_as_of(as_of date)
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

CREATE OR REPLACE FUNCTION kam.clv_calibration(as_of date, unit_days double precision DEFAULT 7)
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

CREATE OR REPLACE FUNCTION kam.account_clv_as_of(as_of date)
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

CREATE OR REPLACE FUNCTION kam.weights_in_force(as_of date)
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

CREATE OR REPLACE FUNCTION kam.contact_strength_as_of(as_of date)
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

CREATE OR REPLACE FUNCTION kam.decision_chain_as_of(as_of date)
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

CREATE OR REPLACE FUNCTION kam.relationship_health_as_of(as_of date)
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

CREATE OR REPLACE FUNCTION kam.key_person_risk_as_of(as_of date)
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

CREATE OR REPLACE FUNCTION kam.contact_cadence_as_of(as_of date)
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

CREATE OR REPLACE FUNCTION kam.open_needs_as_of(as_of date)
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

CREATE OR REPLACE FUNCTION kam.needs_status_as_of(as_of date)
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

CREATE OR REPLACE FUNCTION kam.service_target_for(severity text, class text, on_date date,
                                       OUT first_response_hours double precision, OUT resolution_hours double precision)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT t.first_response_hours, t.resolution_hours FROM kam.service_targets_for(severity, class, on_date) AS t;
END;
COMMENT ON FUNCTION kam.service_target_for(text, text, date) IS
  'the first-response and resolution targets in hours for a severity and account class in force on a day';

CREATE OR REPLACE FUNCTION kam.service_quality_as_of(as_of date)
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

CREATE OR REPLACE FUNCTION kam.account_lifecycle_as_of(as_of date)
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

CREATE OR REPLACE FUNCTION kam.kpi_values_as_of(as_of date)
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

CREATE OR REPLACE FUNCTION kam.account_kpi_as_of(as_of date)
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

CREATE OR REPLACE FUNCTION kam.alerts_as_of(as_of date)
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

CREATE OR REPLACE FUNCTION kam.account_360_as_of(as_of date)
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

CREATE OR REPLACE FUNCTION kam.snapshot_kpis(as_of date DEFAULT current_date) RETURNS bigint
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
