-- pictor schema, version 2: the messages each job posted, recorded as the platform confirmed each one.
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
