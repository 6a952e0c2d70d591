-- hipcoach schema, version 1 (SQLite). Never edit a released migration: add a new one.
-- Times are UTC milliseconds since 1970 (`*_at_ms`); calendar days are ISO dates (`YYYY-MM-DD`).

CREATE TABLE users (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT    NOT NULL UNIQUE,
    password_hash   TEXT,
    created_at_ms   INTEGER NOT NULL
);

-- Profiles, screening answers and plans: versioned JSON documents, newest wins.
CREATE TABLE documents (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL CHECK (kind IN ('profile', 'screening', 'plan')),
    day             TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    recorded_at_ms  INTEGER NOT NULL
);
CREATE INDEX documents_by_user_kind ON documents (user_id, kind, id);

CREATE TABLE sessions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_key      TEXT    NOT NULL,
    day             TEXT    NOT NULL,
    recorded_at_ms  INTEGER NOT NULL,
    ended_early     INTEGER NOT NULL CHECK (ended_early IN (0, 1)),
    active_ms       INTEGER NOT NULL CHECK (active_ms >= 0),
    UNIQUE (user_id, client_key)
);
CREATE INDEX sessions_by_user_day ON sessions (user_id, day);

CREATE TABLE session_exercises (
    session_id      INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    exercise_id     TEXT    NOT NULL,
    pain            TEXT    NOT NULL CHECK (pain IN ('score', 'sharp', 'not-answered')),
    pain_score      INTEGER CHECK (pain_score BETWEEN 0 AND 10),
    PRIMARY KEY (session_id, position)
);

CREATE TABLE session_sets (
    session_id          INTEGER NOT NULL,
    position            INTEGER NOT NULL,
    ordinal             INTEGER NOT NULL,
    set_number          INTEGER NOT NULL CHECK (set_number >= 1),
    working             TEXT    NOT NULL CHECK (working IN ('left', 'right', 'both', 'alternating')),
    outcome             TEXT    NOT NULL,
    reps_done           INTEGER CHECK (reps_done >= 0),
    hold_seconds_done   INTEGER CHECK (hold_seconds_done >= 0),
    PRIMARY KEY (session_id, position, set_number, working),
    FOREIGN KEY (session_id, position) REFERENCES session_exercises (session_id, position) ON DELETE CASCADE
);

CREATE TABLE pain_checkins (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day             TEXT    NOT NULL,
    moment          TEXT    NOT NULL CHECK (moment IN ('before', 'after', 'next-morning')),
    exercise_id     TEXT,
    score           INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    sharp           INTEGER NOT NULL CHECK (sharp IN (0, 1)),
    stiffer         INTEGER NOT NULL CHECK (stiffer IN (0, 1)),
    recorded_at_ms  INTEGER NOT NULL
);
CREATE INDEX pain_checkins_by_user_day ON pain_checkins (user_id, day);

CREATE TABLE measurements (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day             TEXT    NOT NULL,
    side            TEXT    NOT NULL CHECK (side IN ('left', 'right')),
    position        TEXT    NOT NULL CHECK (position IN ('seated', 'prone')),
    method          TEXT    NOT NULL,
    rater           TEXT    NOT NULL CHECK (rater IN ('same', 'different')),
    degrees         REAL    NOT NULL,
    uncertainty     REAL    NOT NULL CHECK (uncertainty > 0),
    measured_by     TEXT,
    recorded_at_ms  INTEGER NOT NULL
);
CREATE INDEX measurements_by_user_day ON measurements (user_id, day);

CREATE TABLE exercise_preferences (
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    exercise_id     TEXT    NOT NULL,
    rating          TEXT    NOT NULL CHECK (rating IN ('liked', 'neutral', 'disliked')),
    swapped_for     TEXT,
    updated_at_ms   INTEGER NOT NULL,
    PRIMARY KEY (user_id, exercise_id)
);
