-- pictor schema, version 7: the language a community's admins chose for it (a Discord server, a Telegram group),
-- read for its members whose own language pictor does not ship. No row: the bot profile's language. Plain SQL for
-- SQLite and PostgreSQL. Times are epoch milliseconds (UTC).

CREATE TABLE community_language (
    platform     TEXT   NOT NULL,
    community_id TEXT   NOT NULL,
    language     TEXT   NOT NULL,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (platform, community_id)
);
