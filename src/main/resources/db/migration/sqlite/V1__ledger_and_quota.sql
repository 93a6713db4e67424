-- pictor schema, version 1: the job ledger, delivered images, the admin audit log and the quota state.
-- Times are epoch milliseconds (UTC). See docs/schema.md.

CREATE TABLE jobs (
    id               TEXT    PRIMARY KEY,
    status           TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'partial', 'failed', 'refused')),
    platform         TEXT    NOT NULL,
    user_id          TEXT    NOT NULL,
    user_name        TEXT,
    community_id     TEXT,
    bot_profile      TEXT,
    role_plan        TEXT,
    prompt           TEXT    NOT NULL,
    model            TEXT    NOT NULL,
    aspect           TEXT    NOT NULL,
    images_asked     INTEGER NOT NULL,
    seed_asked       INTEGER,
    enhance          INTEGER NOT NULL,
    provider         TEXT,
    provider_model   TEXT,
    created_at       INTEGER NOT NULL,
    started_at       INTEGER,
    finished_at      INTEGER,
    images_delivered INTEGER NOT NULL DEFAULT 0,
    tokens_charged   INTEGER NOT NULL DEFAULT 0,
    tokens_refunded  INTEGER NOT NULL DEFAULT 0 CHECK (tokens_refunded <= tokens_charged),
    quota_layers     TEXT,
    spend            REAL,
    error_class      TEXT,
    seed             INTEGER,
    revised_prompt   TEXT,
    owner            TEXT    NOT NULL
);

CREATE INDEX jobs_open ON jobs (status) WHERE status IN ('queued', 'running');
CREATE INDEX jobs_member ON jobs (platform, user_id, created_at);

CREATE TABLE images (
    job_id TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    idx    INTEGER NOT NULL,
    sha256 TEXT    NOT NULL,
    bytes  INTEGER NOT NULL,
    mime   TEXT    NOT NULL,
    width  INTEGER NOT NULL,
    height INTEGER NOT NULL,
    PRIMARY KEY (job_id, idx)
) WITHOUT ROWID;

CREATE TABLE audit (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    at     INTEGER NOT NULL,
    actor  TEXT    NOT NULL,
    action TEXT    NOT NULL,
    target TEXT    NOT NULL,
    detail TEXT
);

CREATE INDEX audit_target ON audit (target, id);

CREATE TABLE quota_buckets (
    id         TEXT PRIMARY KEY,
    state      BLOB NOT NULL,
    expires_at INTEGER
);

CREATE INDEX quota_buckets_expiry ON quota_buckets (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE quota_subjects (
    subject        TEXT    PRIMARY KEY,
    override       TEXT,
    blocked        INTEGER NOT NULL DEFAULT 0,
    blocked_reason TEXT,
    extra          INTEGER NOT NULL DEFAULT 0 CHECK (extra >= 0),
    applied_spec   TEXT,
    spec_version   INTEGER NOT NULL DEFAULT 0,
    updated_at     INTEGER NOT NULL
);
