-- Plan revision, version 8. Each account counts the changes to what its plan is built from
-- (documents, measurements, corrections), kept by the database itself so no write path can
-- forget it. A logged-in request reads the count with its login, in one statement, instead of
-- asking again how many rows each table holds: the plan stays fresh on every instance at no
-- extra query.
ALTER TABLE users ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER documents_insert_revision AFTER INSERT ON documents
BEGIN UPDATE users SET revision = revision + 1 WHERE id = NEW.user_id; END;
CREATE TRIGGER documents_update_revision AFTER UPDATE ON documents
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER documents_delete_revision AFTER DELETE ON documents
BEGIN UPDATE users SET revision = revision + 1 WHERE id = OLD.user_id; END;

CREATE TRIGGER measurements_insert_revision AFTER INSERT ON measurements
BEGIN UPDATE users SET revision = revision + 1 WHERE id = NEW.user_id; END;
CREATE TRIGGER measurements_update_revision AFTER UPDATE ON measurements
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER measurements_delete_revision AFTER DELETE ON measurements
BEGIN UPDATE users SET revision = revision + 1 WHERE id = OLD.user_id; END;

CREATE TRIGGER corrections_insert_revision AFTER INSERT ON corrections
BEGIN UPDATE users SET revision = revision + 1 WHERE id = NEW.user_id; END;
CREATE TRIGGER corrections_update_revision AFTER UPDATE ON corrections
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER corrections_delete_revision AFTER DELETE ON corrections
BEGIN UPDATE users SET revision = revision + 1 WHERE id = OLD.user_id; END;
