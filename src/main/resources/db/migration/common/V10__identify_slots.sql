-- pictor schema, version 10 (both engines): Discord's IDENTIFY slots shared by the processes running a bot's shards.
-- Discord allows max_concurrency IDENTIFY calls per 5 s per bot, one per bucket (shard_id % max_concurrency); a
-- process takes a bucket's slot by a conditional update (next_at <= now), so that no two processes identify shards of
-- one bucket within the window. Times are epoch milliseconds (UTC).

CREATE TABLE identify_slots (
    bot     TEXT    NOT NULL,
    bucket  INTEGER NOT NULL,
    next_at BIGINT  NOT NULL,
    PRIMARY KEY (bot, bucket)
);
