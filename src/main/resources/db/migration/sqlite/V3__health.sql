-- pictor schema, version 3: the row /healthz writes to prove that the database still takes writes.
-- Times are epoch milliseconds (UTC). See docs/schema.md.

CREATE TABLE health (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    probed_at  INTEGER NOT NULL,
    probed_by  TEXT    NOT NULL
);
