-- Corrections, version 6 (SQLite). A reading edited or deleted, or a session deleted, leaves a
-- row here with the record as it was (and as it became), so nothing vanishes without a trace:
-- the account export carries this trail.

CREATE TABLE corrections (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    record          TEXT    NOT NULL CHECK (record IN ('session', 'measurement')),
    action          TEXT    NOT NULL CHECK (action IN ('edited', 'deleted')),
    before          TEXT    NOT NULL,
    after           TEXT,
    client_key      TEXT,
    changed_at_ms   INTEGER NOT NULL
);
CREATE INDEX corrections_by_user ON corrections (user_id, id);
-- A deleted session's key, so a late retry of it is not stored again.
CREATE INDEX corrections_by_session_key ON corrections (user_id, client_key) WHERE client_key IS NOT NULL;
