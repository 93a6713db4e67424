-- pictor schema, version 12: where each community's admins last managed pictor, so that a warning they did not ask
-- for (80 % of the daily spend cap) reaches them there. One row per scope: a community (`discord:<server>`,
-- `telegram:<group>`) or a bot's private chats with its admins (`bot:<platform>:<profile>`). Written when an admin
-- command succeeds, from the platform's event. Plain SQL for SQLite and PostgreSQL. Times are epoch milliseconds (UTC).

CREATE TABLE admin_chats (
    scope      TEXT   NOT NULL PRIMARY KEY,
    profile    TEXT   NOT NULL,
    chat       TEXT   NOT NULL,
    updated_at BIGINT NOT NULL
);
