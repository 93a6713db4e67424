-- pictor schema, version 4, PostgreSQL: the Telegram updates a bot received, recorded before they are confirmed to
-- Telegram. See db/migration/sqlite/V4 for how the rows are used.

CREATE TABLE telegram_inbox (
    bot_profile TEXT    NOT NULL,
    update_id   BIGINT  NOT NULL,
    payload     TEXT    NOT NULL,
    received_at BIGINT  NOT NULL,
    done_at     BIGINT,
    PRIMARY KEY (bot_profile, update_id)
);

CREATE INDEX telegram_inbox_undone ON telegram_inbox (bot_profile, update_id) WHERE done_at IS NULL;
CREATE INDEX telegram_inbox_done ON telegram_inbox (bot_profile, received_at) WHERE done_at IS NOT NULL;
