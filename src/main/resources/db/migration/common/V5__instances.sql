-- pictor schema, version 5 (both engines): the processes sharing the database, each holding a lease it renews every
-- few seconds. Jobs name their process in jobs.owner; when a lease expires (the process died), another process claims
-- it by a conditional update (repaired_by, and a fresh expiry, so that a claimer that dies in turn is taken over),
-- repairs the jobs it left open, then deletes the row. Times are epoch milliseconds (UTC).

CREATE TABLE instances (
    id          TEXT   PRIMARY KEY,
    started_at  BIGINT NOT NULL,
    renewed_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    repaired_by TEXT
);

CREATE INDEX instances_expiry ON instances (expires_at);
