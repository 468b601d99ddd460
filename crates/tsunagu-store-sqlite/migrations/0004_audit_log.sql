-- The audit log: append-only (enforced by triggers) and hash-chained (checked by `tsunagu audit verify`).
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at_micros   INTEGER NOT NULL,
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
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
