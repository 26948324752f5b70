-- The relationship model on a small fixture computed by hand: strength with
-- decay, reciprocity, decision-chain coverage, key-person risk, the index
-- with a missing construct, the trend, Cronbach's alpha, bad input.

\i sql/include/error_of.sql

-- as_of 2026-06-30: interactions count to the end of that day
-- (2026-07-01 00:00); default half-life 90 days, window 90 days; weights:
-- meeting 2.5, email 1, phone 1.5, visit 3; two_way 1, inbound .8, outbound .5
INSERT INTO kam.account (account_id, name) VALUES (301, 'Rel A'), (302, 'Rel B');
INSERT INTO kam.contact (contact_id, account_id, name, buying_roles, active) VALUES
    (3001, 301, 'Dana', '{decider}', true), (3002, 301, 'Eli', '{influencer,buyer}', true),
    (3003, 301, 'Fay', '{user}', true), (3004, 301, 'Gus', '{gatekeeper}', false),
    (3005, 302, 'Hal', '{decider}', true);
INSERT INTO kam.interaction (account_id, contact_id, internal_person, occurred_at, channel, direction) VALUES
    (301, 3001, 'ann', '2026-06-01', 'meeting', 'two_way'),   -- 2.5 * 2^(-30/90)  = 1.984251
    (301, 3002, 'ann', '2026-04-02', 'email', 'outbound'),    -- 0.5 * 2^(-90/90)  = 0.25
    (301, 3002, 'bob', '2026-06-21', 'phone', 'inbound'),     -- 1.2 * 2^(-10/90)  = 1.111050
    (301, 3003, 'bob', '2025-07-01', 'visit', 'two_way'),     -- 3.0 * 2^(-365/90) = 0.180417
    (302, 3005, 'cy', '2026-06-25', 'email', 'outbound');     -- 0.5 * 2^(-6/90)   = 0.477421

-- The ties: Dana-ann engaged (two-way in the window); Eli-ann outbound only,
-- not engaged; Eli-bob engaged (inbound); Fay-bob last a year ago, not engaged.
SELECT account_id, contact_id, internal_person, round(strength::numeric, 6) AS strength, interactions, engaged
FROM kam.contact_strength_as_of('2026-06-30') WHERE account_id IN (301, 302) ORDER BY account_id, contact_id, internal_person;

-- Decision chain of 301: required roles decider 3, influencer 2, buyer 2, user 1,
-- gatekeeper 1 (9): decider (Dana) and influencer + buyer (Eli) engaged:
-- coverage (3 + 2 + 2) / 9 = .777778; user (Fay) not engaged; gatekeeper: Gus
-- is inactive, nobody holds it.  Two contacts engaged: not single-threaded.
-- 302: only Hal (decider), reached by email only: coverage 0.
SELECT account_id, role, role_weight, contacts, round(strength::numeric, 6) AS strength, engaged,
       round(coverage::numeric, 6) AS coverage, single_threaded
FROM kam.decision_chain_as_of('2026-06-30') WHERE account_id IN (301, 302) ORDER BY account_id, role_weight DESC, role;

-- Key-person risk of 301: ann 1.984251 + .25 = 2.234251 of 3.525718 = .633701;
-- 2 people; reached Dana and Eli, unreached Fay.
SELECT account_id, strongest_person, round(strongest_share::numeric, 6) AS share, people,
       contacts_reached, contacts_unreached, unreached_contacts
FROM kam.key_person_risk_as_of('2026-06-30') WHERE account_id IN (301, 302) ORDER BY account_id;

-- Assessments on 1..7 (rescaled (x - 1) / 6 * 100).  Last 365 days: trust
-- {6,7} and {4}: (83.333 + 100 + 50) / 3 = 77.7778; satisfaction {5} and
-- {6,6}: 77.7778; commitment not asked; cooperation {7} and {5}: 83.3333.
-- Index over the 3 constructs present: (77.7778 + 77.7778 + 83.3333) / 3 =
-- 79.6296 (commitment missing: left out, not 0).  The 365 days before: {3,3}, {4}, {2}, {3}:
-- 33.333, 50, 16.667, 33.333 -> 33.3333; change 46.2963: up.
INSERT INTO kam.relationship_assessment (account_id, contact_id, assessed_on, trust, satisfaction, commitment, cooperation_intent) VALUES
    (301, 3001, '2026-03-01', '{6,7}', '{5}', NULL, '{7}'),
    (301, 3002, '2026-05-01', '{4}', '{6,6}', NULL, '{5}'),
    (301, 3001, '2025-03-01', '{3,3}', '{4}', '{2}', '{3}');
-- Strength of 301: 1.984251 + .25 + 1.111050 + .180417 = 3.525718; 4 interactions;
-- two-way share in the window (from 2026-04-02 on): 1 of 3.  302: nothing assessed,
-- one outbound email: one-way, coverage 0.
SELECT account_id, round(relationship_index::numeric, 4) AS index, round(trust::numeric, 4) AS trust,
       round(satisfaction::numeric, 4) AS satisfaction, commitment, round(cooperation_intent::numeric, 4) AS cooperation,
       round(interaction_strength::numeric, 6) AS strength, round(two_way_share::numeric, 4) AS two_way,
       one_way, round(decision_chain_coverage::numeric, 6) AS coverage,
       round(previous_index::numeric, 4) AS previous, round(index_change::numeric, 4) AS change, trend
FROM kam.relationship_health_as_of('2026-06-30') WHERE account_id IN (301, 302) ORDER BY account_id;

-- The ties by contact, whoever of us held them (kam.contact_ties_as_of, what
-- the account's strength and the decision chain read): Dana 1.984251, 1
-- interaction, engaged, 1 in the window, two-way; Eli .25 + 1.111050 =
-- 1.361050, 2, engaged (inbound), both in the window (from 2026-04-02 00:00
-- on), none two-way; Fay .180417, 1, not engaged, none in the window; Hal
-- .477421, 1, not engaged, 1 in the window.  301's strength is their sum,
-- 3.525718, and 1 of 3 in the window is two-way, as above.
SELECT account_id, contact_id, round(strength::numeric, 6) AS strength, interactions, engaged,
       window_interactions, window_two_way
FROM kam.contact_ties_as_of('2026-06-30') WHERE account_id IN (301, 302) ORDER BY account_id, contact_id;
-- the scores carry the decision chain's summary: 301 .777778, two engaged:
-- not single-threaded; 302: 0, none engaged; the same as the chain role by role
SELECT s.account_id, round(s.decision_chain_coverage::numeric, 6) AS coverage, s.single_threaded,
       (SELECT bool_and(d.coverage = s.decision_chain_coverage AND d.single_threaded = s.single_threaded)
        FROM kam.decision_chain_as_of('2026-06-30') AS d WHERE d.account_id = s.account_id) AS same_as_chain
FROM kam.relationship_scores_as_of('2026-06-30') AS s WHERE s.account_id IN (301, 302) ORDER BY s.account_id;

-- A half-life of 30 days from 2026-01-01 (settings are dated): 301's strength
-- 2.5/2 + .5/8 + 1.2 * 2^(-1/3) + 3 * 2^(-365/30) = 1.25 + .0625 + .952441 + .000652 = 2.265593
INSERT INTO kam.setting (name, valid_from, value) VALUES ('strength_half_life_days', '2026-01-01', '30');
SELECT round(interaction_strength::numeric, 6) FROM kam.relationship_health_as_of('2026-06-30') WHERE account_id = 301;
DELETE FROM kam.setting WHERE name = 'strength_half_life_days';
-- user weights replace the defaults from their day on: visits worth 10 from 2026-01-01:
-- 10 * 2^(-365/90) = .601390; as of 2025-12-31 the default 3 applies to an age of 183.958
-- days (the session's time zone PST8PDT moves the clock back an hour in November):
-- 3 * 2^(-183.958/90) = .727014
INSERT INTO kam.relationship_weight (kind, name, valid_from, weight) VALUES ('channel', 'visit', '2026-01-01', 10);
SELECT round(strength::numeric, 6) FROM kam.contact_strength_as_of('2026-06-30') WHERE contact_id = 3003;
SELECT round(strength::numeric, 6) FROM kam.contact_strength_as_of('2025-12-31') WHERE contact_id = 3003;
DELETE FROM kam.relationship_weight;

-- relationship_index directly: missing constructs are left out and the weights
-- renormalised, never scored 0: (80 + 60 + 40) / 3 = 60; weights 2,1,1,1:
-- (160 + 60 + 40) / 4 = 65 with contributions 40, -, 15, 10
SELECT round(kam.relationship_index(80, NULL, 60, 40)::numeric, 10) = 60 AS renormalised,
       (kam.relationship_index_detail(80, NULL, 60, 40, '{2,1,1,1}')).*;
SELECT kam.relationship_index(NULL, NULL, NULL, NULL) IS NULL AS none_present,
       kam.relationship_index(50, NULL, NULL, NULL, '{0,1,1,1}') IS NULL AS zero_weight_only;
SELECT kam.likert_rescale(4, 1, 7) AS midpoint, kam.likert_rescale(1, 1, 5) AS bottom, kam.likert_rescale(5, 1, 5) AS top;

-- Cronbach's alpha, the worked example of calkulon.com ("cronbach alpha"):
-- items [4,3,5,2], [5,4,5,3], [4,3,5,2] for 4 respondents; item variances
-- 5/3, 2.75/3, 5/3 (sum 4.25); totals 13, 10, 15, 7, variance 36.75/3 = 12.25;
-- alpha = 3/2 (1 - 4.25/12.25) = .979592
SELECT round(kam.cronbach_alpha(r)::numeric, 6) AS alpha
FROM (VALUES ('{4,5,4}'::float8[]), ('{3,4,3}'), ('{5,5,5}'), ('{2,3,2}')) AS v(r);
-- a respondent with a missing answer is left out; one respondent or one item: undefined
SELECT round(kam.cronbach_alpha(r)::numeric, 6) AS alpha
FROM (VALUES ('{4,5,4}'::float8[]), ('{3,4,3}'), ('{5,5,5}'), ('{2,3,2}'), ('{1,NULL,7}')) AS v(r);
SELECT kam.cronbach_alpha(r) IS NULL AS one_respondent FROM (VALUES ('{4,5,4}'::float8[])) AS v(r);
SELECT kam.cronbach_alpha(r) IS NULL AS one_item FROM (VALUES ('{4}'::float8[]), ('{5}')) AS v(r);
SELECT kam.cronbach_alpha(r) IS NULL AS no_variance FROM (VALUES ('{4,4}'::float8[]), ('{4,4}')) AS v(r);
-- on the assessments: trust items of the respondents who answered 2 of them
SELECT kam.cronbach_alpha(trust::float8[]) IS NULL AS too_few FROM kam.relationship_assessment WHERE cardinality(trust) = 2;

-- In a parallel plan the strength equals the serial one.
CREATE TABLE strength_parallel AS
SELECT i % 100 AS account, '2026-01-01'::timestamptz + make_interval(hours => i) AS at, (i % 3 + 1)::float8 AS w, i % 2 = 0 AS back
FROM generate_series(1, 20000) AS i;
SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET force_parallel_mode = on;
CREATE TEMP TABLE strength_p AS
SELECT account, kam.relationship_strength(at, w, back, kam.strength_at('2028-07-01')) AS s FROM strength_parallel GROUP BY account;
-- the partial states themselves, combined by the leader: kam.strength_state has no
-- final function of its own, so they come from a plain aggregate of the state function
CREATE AGGREGATE pg_temp.strength_state_of(timestamptz, double precision, boolean, double precision[]) (
    SFUNC = kam.relationship_strength_accum, STYPE = kam.strength_state,
    COMBINEFUNC = kam.relationship_strength_combine, INITCOND = '(0,0,0,,,,,)', PARALLEL = SAFE);
CREATE TEMP TABLE strength_p_states AS
SELECT account, pg_temp.strength_state_of(at, w, back, kam.strength_at('2028-07-01')) AS s FROM strength_parallel GROUP BY account;
RESET max_parallel_workers_per_gather; RESET parallel_setup_cost; RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size; RESET force_parallel_mode;
SELECT count(*) AS accounts,
       count(*) FILTER (WHERE round((p.s).strength::numeric, 9) = round((s.s).strength::numeric, 9)
                          AND (p.s).interactions = (s.s).interactions AND (p.s).last_contact = (s.s).last_contact) AS equal
FROM strength_p AS p
JOIN (SELECT account, kam.relationship_strength(at, w, back, kam.strength_at('2028-07-01')) AS s
      FROM strength_parallel GROUP BY account) AS s USING (account);
DROP TABLE strength_parallel;

-- Bad input.
SELECT pg_temp.error_of('SELECT kam.relationship_index(101, 50, 50, 50)');
SELECT pg_temp.error_of('SELECT kam.relationship_index(-1, 50, 50, 50)');
SELECT pg_temp.error_of($$SELECT kam.relationship_index(50, 50, 50, 50, '{1,1,1}')$$);
SELECT pg_temp.error_of($$SELECT kam.relationship_index(50, 50, 50, 50, '{1,-1,1,1}')$$);
SELECT pg_temp.error_of($$SELECT kam.relationship_index(50, 50, 50, 50, NULL)$$);
SELECT pg_temp.error_of('SELECT kam.likert_rescale(8, 1, 7)');
SELECT pg_temp.error_of('SELECT kam.likert_rescale(3, 5, 5)');
SELECT pg_temp.error_of($$SELECT kam.relationship_strength(now(), 1, true, kam.strength_at(now(), -5, 90))$$);
SELECT pg_temp.error_of($$SELECT kam.relationship_strength(now(), 1, true, kam.strength_at(now(), 90, 0))$$);
SELECT pg_temp.error_of($$SELECT kam.relationship_strength(now(), -1, true, kam.strength_at(now()))$$);
SELECT pg_temp.error_of($$SELECT kam.relationship_strength(now(), 1, true, kam.strength_at('infinity'))$$);
SELECT pg_temp.error_of($$SELECT kam.relationship_strength('infinity', 1, true, kam.strength_at(now()))$$);
SELECT pg_temp.error_of($$SELECT kam.relationship_strength(t, 1, true, kam.strength_at(a)) FROM (VALUES (now(), now()), (now(), now() + interval '1 day')) AS v(t, a)$$);
-- per-group as_of may differ; a group that meets a second as_of fails, even after another group's.
-- By hand: group 1 two interactions of age 0 -> 2; group 2 one of age 31 days -> 2^(-31/90) = 0.7876
SELECT g, round((r).strength::numeric, 4) AS strength, (r).interactions
FROM (SELECT g, kam.relationship_strength('2028-01-01', 1, true, kam.strength_at(a)) AS r
      FROM (VALUES (1, timestamptz '2028-01-01'), (2, '2028-02-01'), (1, '2028-01-01')) AS v(g, a)
      GROUP BY g) AS x ORDER BY g;
SELECT pg_temp.error_of($$SELECT g, kam.relationship_strength('2028-01-01', 1, true, kam.strength_at(a)) FROM (VALUES (1, timestamptz '2028-01-01'), (2, '2028-02-01'), (1, '2028-02-01')) AS v(g, a) GROUP BY g$$);
-- parameters read from a table (stored with a short header, not byte-equal to strength_at's):
-- same hand values, 2 and 2^(-31/90) = 0.7876
CREATE TEMP TABLE strength_params AS
SELECT g, kam.strength_at(a) AS p FROM (VALUES (1, timestamptz '2028-01-01'), (2, '2028-02-01'), (1, '2028-01-01')) AS v(g, a);
SELECT g, round((r).strength::numeric, 4) AS strength, (r).interactions
FROM (SELECT g, kam.relationship_strength('2028-01-01', 1, true, p) AS r FROM strength_params GROUP BY g) AS x ORDER BY g;
-- any finite timestamp is a time, far ones too: one interaction of weight 2 at as_of -> 2
SELECT (kam.relationship_strength('9999-06-01', 2, true, kam.strength_at('9999-06-01'))).strength;
SELECT pg_temp.error_of($$SELECT kam.relationship_strength(now(), 1, true, '{1,90}')$$);
SELECT pg_temp.error_of($$SELECT kam.relationship_strength(now(), 1, true, '{1,90,-1}')$$);
SELECT pg_temp.error_of($$SELECT kam.relationship_strength(now(), 1, true, '{NaN,90,90}')$$);

-- The state type kam.strength_state.  2028-07-01 00:00 UTC is 10409 days after
-- 2000-01-01 (28 years with 7 leap days, then 182 days of 2028):
-- 10409 * 86 400 000 000 = 899337600000000 microseconds; 90 days earlier:
-- 899337600000000 - 7776000000000 = 891561600000000.
-- One two-way interaction of weight 2 at as_of, one outbound of weight 1 a
-- half-life before (1 * 2^-1 = 0.5), and the two combined:
SELECT kam.relationship_strength_accum('(0,0,0,,,,,)', '2028-07-01 00:00+00', 2, true, kam.strength_at('2028-07-01 00:00+00')) AS now_state,
       kam.relationship_strength_accum('(0,0,0,,,,,)', '2028-04-02 00:00+00', 1, false, kam.strength_at('2028-07-01 00:00+00')) AS earlier_state;
SELECT kam.relationship_strength_combine(
         kam.relationship_strength_accum('(0,0,0,,,,,)', '2028-07-01 00:00+00', 2, true, kam.strength_at('2028-07-01 00:00+00')),
         kam.relationship_strength_accum('(0,0,0,,,,,)', '2028-04-02 00:00+00', 1, false, kam.strength_at('2028-07-01 00:00+00'))) AS combined;
-- an interaction after as_of is not counted, but the parameters are taken
SELECT kam.relationship_strength_accum('(0,0,0,,,,,)', '2028-07-02 00:00+00', 2, true, kam.strength_at('2028-07-01 00:00+00'));
-- the final function of the combined state: 2.5, 2, 1, two-way within the window
SELECT (kam.relationship_strength_final('(2.5,2,1,899337600000000,899337600000000,899337600000000,90,90)')).*;
-- one-way: the last reciprocal contact exactly window_days (90) before as_of is outside (as_of - window, as_of]
SELECT (kam.relationship_strength_final('(2.5,2,1,899337600000000,891561600000000,899337600000000,90,90)')).one_way;
SELECT (kam.relationship_strength_final('(2.5,2,1,899337600000000,891561600000001,899337600000000,90,90)')).one_way AS one_microsecond_later;
SELECT kam.relationship_strength_final('(0,0,0,,,,,)') IS NULL AS empty_is_null;
-- Text and binary forms read back to the same state, bit for bit (the send
-- bytes compared), states after a combine in a parallel plan included: 100
-- groups of the parallel table above, strengths with all 17 digits.
CREATE TEMP TABLE strength_states (s kam.strength_state);
INSERT INTO strength_states VALUES ('(0,0,0,,,,,)'), ('(0,0,0,,,899337600000000,0.1,1e300)'),
    ('(1.9842513149602492,1,1,899337600000000,899337600000000,899337600000000,90,90)'),
    ('(5e-324,9223372036854775806,0,-211813488000000000,,9223371331199999999,4.9406564584124654e-324,1.7976931348623157e+308)');
INSERT INTO strength_states SELECT s FROM strength_p_states;
SELECT count(*) AS states,
       count(*) FILTER (WHERE s::text::kam.strength_state::text = s::text
                          AND kam.strength_state_send(s::text::kam.strength_state) = kam.strength_state_send(s)) AS text_round_trip
FROM strength_states;
CREATE TEMP TABLE strength_states_back (s kam.strength_state);
DO $$
DECLARE
    file text := current_setting('data_directory') || '/kam_strength_states.copy';
BEGIN
    EXECUTE format('COPY strength_states TO %L WITH (FORMAT binary)', file);
    EXECUTE format('COPY strength_states_back FROM %L WITH (FORMAT binary)', file);
END $$;
SELECT count(*) AS binary_round_trip FROM strength_states AS a
WHERE (SELECT count(*) FROM strength_states_back AS b WHERE kam.strength_state_send(b.s) = kam.strength_state_send(a.s)) > 0;
SELECT s FROM strength_states ORDER BY kam.strength_state_send(s) LIMIT 4;
-- malformed and inconsistent states
SELECT pg_temp.error_of($$SELECT 'abc'::kam.strength_state$$);
SELECT pg_temp.error_of($$SELECT '(0,0,0,,,,)'::kam.strength_state$$);
SELECT pg_temp.error_of($$SELECT '(0,0,0,,,,,)x'::kam.strength_state$$);
SELECT pg_temp.error_of($$SELECT '( 0,0,0,,,,,)'::kam.strength_state$$);
SELECT pg_temp.error_of($$SELECT '(0,0,0,,,,90,90)'::kam.strength_state$$);
SELECT pg_temp.error_of($$SELECT '(0,0.5,0,,,,,)'::kam.strength_state$$);
SELECT pg_temp.error_of($$SELECT '(0,99999999999999999999,0,,,,,)'::kam.strength_state$$);
SELECT pg_temp.error_of($$SELECT '(1,0,0,,,,,)'::kam.strength_state$$);
SELECT pg_temp.error_of($$SELECT '(-1,1,0,5,,5,90,90)'::kam.strength_state$$);
SELECT pg_temp.error_of($$SELECT '(NaN,1,0,5,,5,90,90)'::kam.strength_state$$);
SELECT pg_temp.error_of($$SELECT '(1e999,1,0,5,,5,90,90)'::kam.strength_state$$);
SELECT pg_temp.error_of($$SELECT '(1,1,0,5,,,,)'::kam.strength_state$$);
SELECT pg_temp.error_of($$SELECT '(1,1,0,6,,5,90,90)'::kam.strength_state$$);
SELECT pg_temp.error_of($$SELECT '(1,1,1,5,6,6,90,90)'::kam.strength_state$$);
SELECT pg_temp.error_of($$SELECT '(1,1,2,5,5,6,90,90)'::kam.strength_state$$);
SELECT pg_temp.error_of($$SELECT '(1,1,0,5,5,6,90,90)'::kam.strength_state$$);
SELECT pg_temp.error_of($$SELECT '(1,1,0,5,,6,0,90)'::kam.strength_state$$);
SELECT pg_temp.error_of($$SELECT '(1,1,0,5,,6,90,-Infinity)'::kam.strength_state$$);
SELECT pg_temp.error_of($$SELECT '(1,1,0,9223371331200000000,,9223371331200000000,90,90)'::kam.strength_state$$);
SELECT pg_temp.error_of($$SELECT '(1,1,0,-211813488000000001,,5,90,90)'::kam.strength_state$$);
-- combining states of other parameters, or counts past 2^63 - 1
SELECT pg_temp.error_of($$SELECT kam.relationship_strength_combine('(1,1,0,5,,6,90,90)', '(1,1,0,5,,6,30,90)')$$);
SELECT pg_temp.error_of($$SELECT kam.relationship_strength_combine('(1,9223372036854775807,0,5,,6,90,90)', '(1,1,0,5,,6,90,90)')$$);
SELECT pg_temp.error_of($$SELECT kam.relationship_strength_accum('(1,9223372036854775807,0,5,,6,90,90)', '2000-01-01 00:00:00.000005+00', 1, false, '{6,90,90}')$$);
-- the oldest interaction against the latest as_of: their distance passes 2^63
-- microseconds (it is taken unsigned); 2^(-huge) = 0, one interaction, one-way
SELECT (r).strength, (r).interactions, (r).one_way
FROM (SELECT kam.relationship_strength('4714-11-24 00:00+00 BC', 1, true, kam.strength_at('294276-12-31 00:00+00')) AS r) AS x;
-- a state without parameters takes the other's
SELECT kam.relationship_strength_combine('(0,0,0,,,,,)', '(1,1,0,5,,6,90,90)');
-- a running strength (window aggregate): 1, then 1 + 2^(-1/90)... by hand:
-- day 0: 1 * 2^(-2/90) = 0.984715; day 1: + 1 * 2^(-1/90) = 0.992328 -> 1.977043;
-- day 2: + 1 -> 2.977043 (as_of = day 2)
SELECT d, round((kam.relationship_strength(t, 1, false, kam.strength_at('2028-01-03 00:00+00')) OVER (ORDER BY t)).strength::numeric, 6) AS running
FROM (VALUES (0, timestamptz '2028-01-01 00:00+00'), (1, '2028-01-02 00:00+00'), (2, '2028-01-03 00:00+00')) AS v(d, t);
SELECT pg_temp.error_of($$SELECT kam.cronbach_alpha(r) FROM (VALUES ('{1,2}'::float8[]), ('{1,2,3}')) AS v(r)$$);
SELECT pg_temp.error_of($$SELECT kam.cronbach_alpha_final('{2,1,1}')$$);
-- the state function checks a hand-made state whole, even for a row it skips
SELECT pg_temp.error_of($$SELECT kam.cronbach_alpha_accum('{0,0,0}', '{NULL,1,2}')$$);
SELECT pg_temp.error_of($$SELECT kam.cronbach_alpha_accum('{2,1,1,1,1,1,NaN,1}', '{1,2}')$$);
SELECT pg_temp.error_of($$INSERT INTO kam.interaction (account_id, internal_person, occurred_at, channel, direction) VALUES (301, 'ann', now(), 'pigeon', 'inbound')$$);
SELECT pg_temp.error_of($$INSERT INTO kam.interaction (account_id, internal_person, occurred_at, channel, direction) VALUES (301, 'ann', now(), 'phone', 'sideways')$$);
SELECT pg_temp.error_of($$INSERT INTO kam.interaction (account_id, contact_id, internal_person, occurred_at, channel, direction) VALUES (302, 3001, 'ann', now(), 'phone', 'inbound')$$);
SELECT pg_temp.error_of($$INSERT INTO kam.relationship_assessment (account_id, assessed_on, trust) VALUES (301, '2026-01-01', '{8}')$$);
SELECT pg_temp.error_of($$INSERT INTO kam.relationship_weight (kind, name, valid_from, weight) VALUES ('channel', 'pigeon', '2026-01-01', 1)$$);
SELECT pg_temp.error_of($$INSERT INTO kam.relationship_weight (kind, name, valid_from, weight) VALUES ('role', 'decider', '2026-01-01', -1)$$);

DELETE FROM kam.relationship_assessment WHERE account_id IN (301, 302);
DELETE FROM kam.interaction WHERE account_id IN (301, 302);
DELETE FROM kam.contact WHERE account_id IN (301, 302);
DELETE FROM kam.account WHERE account_id IN (301, 302);
