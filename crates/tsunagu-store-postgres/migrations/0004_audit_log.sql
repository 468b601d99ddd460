-- The audit log: append-only (enforced by triggers) and hash-chained (checked by `tsunagu audit verify`).
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at_micros   BIGINT NOT NULL,
    actor       TEXT NOT NULL,
    actor_label TEXT NOT NULL,
    action      TEXT NOT NULL,
    record      TEXT NOT NULL,
    person      TEXT NOT NULL,
    fields      TEXT NOT NULL,
    basis       TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_by_person ON audit_log (person, seq);
CREATE INDEX audit_log_by_actor ON audit_log (actor, seq);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
