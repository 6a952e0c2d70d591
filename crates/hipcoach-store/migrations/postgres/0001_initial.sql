-- hipcoach schema, version 1 (PostgreSQL). Never edit a released migration: add a new one.
-- Times are UTC milliseconds since 1970 (`*_at_ms`); calendar days are ISO dates (`YYYY-MM-DD`).

CREATE TABLE users (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            TEXT    NOT NULL UNIQUE,
    password_hash   TEXT,
    created_at_ms   BIGINT NOT NULL
);

-- Profiles, screening answers and plans: versioned JSON documents, newest wins.
CREATE TABLE documents (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL CHECK (kind IN ('profile', 'screening', 'plan')),
    day             TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    recorded_at_ms  BIGINT NOT NULL
);
CREATE INDEX documents_by_user_kind ON documents (user_id, kind, id);

CREATE TABLE sessions (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_key      TEXT    NOT NULL,
    day             TEXT    NOT NULL,
    recorded_at_ms  BIGINT NOT NULL,
    ended_early     BIGINT NOT NULL CHECK (ended_early IN (0, 1)),
    active_ms       BIGINT NOT NULL CHECK (active_ms >= 0),
    UNIQUE (user_id, client_key)
);
CREATE INDEX sessions_by_user_day ON sessions (user_id, day);

CREATE TABLE session_exercises (
    session_id      BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    position        BIGINT NOT NULL,
    exercise_id     TEXT    NOT NULL,
    pain            TEXT    NOT NULL CHECK (pain IN ('score', 'sharp', 'not-answered')),
    pain_score      BIGINT CHECK (pain_score BETWEEN 0 AND 10),
    PRIMARY KEY (session_id, position)
);

CREATE TABLE session_sets (
    session_id          BIGINT NOT NULL,
    position            BIGINT NOT NULL,
    ordinal             BIGINT NOT NULL,
    set_number          BIGINT NOT NULL CHECK (set_number >= 1),
    working             TEXT    NOT NULL CHECK (working IN ('left', 'right', 'both', 'alternating')),
    outcome             TEXT    NOT NULL,
    reps_done           BIGINT CHECK (reps_done >= 0),
    hold_seconds_done   BIGINT CHECK (hold_seconds_done >= 0),
    PRIMARY KEY (session_id, position, set_number, working),
    FOREIGN KEY (session_id, position) REFERENCES session_exercises (session_id, position) ON DELETE CASCADE
);

CREATE TABLE pain_checkins (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day             TEXT    NOT NULL,
    moment          TEXT    NOT NULL CHECK (moment IN ('before', 'after', 'next-morning')),
    exercise_id     TEXT,
    score           BIGINT NOT NULL CHECK (score BETWEEN 0 AND 10),
    sharp           BIGINT NOT NULL CHECK (sharp IN (0, 1)),
    stiffer         BIGINT NOT NULL CHECK (stiffer IN (0, 1)),
    recorded_at_ms  BIGINT NOT NULL
);
CREATE INDEX pain_checkins_by_user_day ON pain_checkins (user_id, day);

CREATE TABLE measurements (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day             TEXT    NOT NULL,
    side            TEXT    NOT NULL CHECK (side IN ('left', 'right')),
    position        TEXT    NOT NULL CHECK (position IN ('seated', 'prone')),
    method          TEXT    NOT NULL,
    rater           TEXT    NOT NULL CHECK (rater IN ('same', 'different')),
    degrees         DOUBLE PRECISION    NOT NULL,
    uncertainty     DOUBLE PRECISION    NOT NULL CHECK (uncertainty > 0),
    measured_by     TEXT,
    recorded_at_ms  BIGINT NOT NULL
);
CREATE INDEX measurements_by_user_day ON measurements (user_id, day);

CREATE TABLE exercise_preferences (
    user_id         BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    exercise_id     TEXT    NOT NULL,
    rating          TEXT    NOT NULL CHECK (rating IN ('liked', 'neutral', 'disliked')),
    swapped_for     TEXT,
    updated_at_ms   BIGINT NOT NULL,
    PRIMARY KEY (user_id, exercise_id)
);
