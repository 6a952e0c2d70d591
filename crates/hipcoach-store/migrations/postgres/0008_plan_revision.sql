-- Plan revision, version 8. Each account counts the changes to what its plan is built from
-- (documents, measurements, corrections), kept by the database itself so no write path can
-- forget it. A logged-in request reads the count with its login, in one statement, instead of
-- asking again how many rows each table holds: the plan stays fresh on every instance at no
-- extra query.
ALTER TABLE users ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION bump_plan_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE users SET revision = revision + 1 WHERE id = OLD.user_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE users SET revision = revision + 1 WHERE id = NEW.user_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER documents_revision AFTER INSERT OR UPDATE OR DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION bump_plan_revision();
CREATE TRIGGER measurements_revision AFTER INSERT OR UPDATE OR DELETE ON measurements
    FOR EACH ROW EXECUTE FUNCTION bump_plan_revision();
CREATE TRIGGER corrections_revision AFTER INSERT OR UPDATE OR DELETE ON corrections
    FOR EACH ROW EXECUTE FUNCTION bump_plan_revision();
