-- Whether the end of the turn felt hard and blocked (a bony stop): then end-range work on that
-- side waits for a clinician. Rows stored before the question was asked did not say (0).
ALTER TABLE measurements ADD COLUMN hard_end_feel INTEGER NOT NULL DEFAULT 0 CHECK (hard_end_feel IN (0, 1));
