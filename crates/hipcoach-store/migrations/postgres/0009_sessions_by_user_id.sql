-- Sessions by account in the order they were stored, version 9. The history page reads an
-- account's latest sessions, and their exercises and sets by a range of session ids; with only
-- the (account, day) index each of those read every session the account ever stored (8 ms a
-- page at 15,000 sessions). With this index each reads the range it needs.
CREATE INDEX sessions_by_user_id ON sessions (user_id, id);
