-- pictor schema, version 2: the messages each job posted, recorded as the platform confirmed each one, and the
-- event each job came from.
-- The buttons act only on these (never on ids a client sends), and a repair after a crash refunds only the images
-- that did not reach the chat (jobs.images_delivered is kept up to date as posts are recorded).

CREATE TABLE job_posts (
    job_id    TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    chat      TEXT    NOT NULL,
    message   TEXT    NOT NULL,
    images    INTEGER NOT NULL CHECK (images >= 0),
    posted_at INTEGER NOT NULL,
    UNIQUE (job_id, chat, message)
);

-- The platform event that asked for a job (e.g. telegram:<profile>:<update id>): an event redelivered or re-run after
-- a crash finds its job already recorded (within two days: platforms reuse ids later) and is not run twice.
ALTER TABLE jobs ADD COLUMN origin TEXT;

CREATE INDEX jobs_origin ON jobs (origin, created_at) WHERE origin IS NOT NULL;
