-- pictor schema, version 4: the Telegram updates a bot received, recorded before they are confirmed to Telegram.
-- A row is written (once per bot profile and update id) before the next getUpdates offset confirms the update, and
-- marked done once its handler has taken it; rows not done are run again at the next start. Done rows older than a
-- day are deleted (Telegram keeps an unconfirmed update for 24 hours). Times are epoch milliseconds (UTC).

CREATE TABLE telegram_inbox (
    bot_profile TEXT    NOT NULL,
    update_id   INTEGER NOT NULL,
    payload     TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    done_at     INTEGER,
    PRIMARY KEY (bot_profile, update_id)
) WITHOUT ROWID;

CREATE INDEX telegram_inbox_undone ON telegram_inbox (bot_profile, update_id) WHERE done_at IS NULL;
CREATE INDEX telegram_inbox_done ON telegram_inbox (bot_profile, received_at) WHERE done_at IS NOT NULL;
