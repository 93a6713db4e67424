-- pictor schema, version 9: which process holds each Telegram update it recorded (the id of its lease in instances).
-- At start a process runs a left-over update (not done) only once it has taken it over: nobody held it, or its holder's
-- lease is gone, expired or claimed. An update a live process recorded and still has queued stays that process's.

ALTER TABLE telegram_inbox ADD COLUMN taken_by TEXT;
