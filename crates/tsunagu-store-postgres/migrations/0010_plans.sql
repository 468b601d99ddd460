-- Support plans (個別支援計画) and their reviews.
CREATE TABLE support_plans (
    id         UUID PRIMARY KEY,
    prefecture TEXT NOT NULL,
    person_id  UUID NOT NULL REFERENCES persons (id),
    agency_id  UUID NOT NULL REFERENCES agencies (id),
    goal       TEXT NOT NULL,
    actions    TEXT NOT NULL,
    owner      TEXT NOT NULL,
    first_review_on DATE NOT NULL,
    review_on  DATE,
    outcome    TEXT,
    created_by UUID NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX support_plans_by_person ON support_plans (person_id, created_at);
CREATE INDEX support_plans_due ON support_plans (agency_id, review_on) WHERE review_on IS NOT NULL;

CREATE TABLE plan_reviews (
    id             UUID PRIMARY KEY,
    plan_id        UUID NOT NULL REFERENCES support_plans (id),
    reviewed_on    DATE NOT NULL,
    note           TEXT NOT NULL,
    outcome        TEXT NOT NULL,
    next_review_on DATE,
    reviewed_by    UUID NOT NULL,
    reviewed_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX plan_reviews_by_plan ON plan_reviews (plan_id, reviewed_at);
