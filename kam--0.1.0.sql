-- kam 0.1.0: survey measures (NPS, CSAT, CES).
-- complain if script is sourced in psql rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION kam" to load this file. \quit

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
