-- Sample survey answers for the demo: eight key accounts, two quarters,
-- NPS (0-10), CSAT (1-5) and CES (1-7) answers drawn with fixed seeds so
-- that every run prints the same report.  Synthetic data.

CREATE TABLE demo_account (
    account   text PRIMARY KEY,
    revenue   numeric NOT NULL,           -- annual revenue, the weight of the portfolio NPS
    happiness double precision NOT NULL,  -- 0..1: how the answers lean (generator only)
    trend     double precision NOT NULL   -- change of happiness from Q1 to Q2 (generator only)
);
INSERT INTO demo_account VALUES
    ('Aurora Logistics',      2400000, 0.85,  0.05),
    ('Borealis Chemicals',    1750000, 0.55, -0.25),
    ('Cobalt Retail Group',    980000, 0.70,  0.00),
    ('Delta Medical',         3100000, 0.90,  0.02),
    ('Ember Foods',            420000, 0.40,  0.20),
    ('Fjord Shipping',         660000, 0.65, -0.10),
    ('Granite Construction',  1250000, 0.75,  0.10),
    ('Harbor Telecom',         300000, 0.30, -0.05);

CREATE TABLE demo_answer (
    account   text NOT NULL REFERENCES demo_account,
    quarter   text NOT NULL,
    kind      text NOT NULL CHECK (kind IN ('nps', 'csat', 'ces')),
    score     integer NOT NULL
);

SELECT setseed(0.42);
-- An answer leans to the top of its scale with probability "happiness":
-- the mean of two uniform draws, shifted by the account's lean, rounded
-- onto the scale.
INSERT INTO demo_answer (account, quarter, kind, score)
SELECT a.account, q.quarter, k.kind,
       least(k.top, greatest(k.bottom,
             round(k.bottom + (k.top - k.bottom) *
                   least(1.0, greatest(0.0, (random() + random()) / 2
                                            + (a.happiness + CASE q.quarter WHEN '2026-Q2' THEN a.trend ELSE 0 END)
                                            - 0.5)))::int))
FROM demo_account AS a
CROSS JOIN (VALUES ('2026-Q1'), ('2026-Q2')) AS q(quarter)
CROSS JOIN (VALUES ('nps', 0, 10, 60), ('csat', 1, 5, 40), ('ces', 1, 7, 30)) AS k(kind, bottom, top, answers)
CROSS JOIN LATERAL generate_series(1, k.answers + (length(a.account) * 3) % 25) AS i
ORDER BY a.account, q.quarter, k.kind, i;
