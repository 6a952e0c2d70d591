-- Browser login sessions, version 2 (PostgreSQL). Kept in the database so several web servers
-- can share them and a restart logs nobody out. Only a SHA-256 hash of the cookie's random token
-- is stored: a copy of the database does not let anyone log in.

CREATE TABLE login_sessions (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash      TEXT    NOT NULL UNIQUE,
    user_id         BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at_ms   BIGINT  NOT NULL,
    expires_at_ms   BIGINT  NOT NULL
);
CREATE INDEX login_sessions_by_user ON login_sessions (user_id);
CREATE INDEX login_sessions_by_expiry ON login_sessions (expires_at_ms);
