-- Private calendar addresses, version 5 (PostgreSQL). A phone calendar subscribes once to a
-- secret address and fetches the planned sessions from it; only the SHA-256 of the address's
-- random token is kept, and making a new address or turning it off ends the old one at once.

CREATE TABLE calendar_feeds (
    user_id         BIGINT  NOT NULL PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    token_hash      TEXT    NOT NULL UNIQUE,
    session_time    TEXT    NOT NULL,
    utc_offset_min  BIGINT  NOT NULL CHECK (utc_offset_min BETWEEN -840 AND 840),
    created_at_ms   BIGINT  NOT NULL
);
