-- pictor schema, version 3, PostgreSQL: the row /healthz writes to prove that the database still takes writes.

CREATE TABLE health (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    probed_at  BIGINT  NOT NULL,
    probed_by  TEXT    NOT NULL
);
