-- pictor schema, version 8 (both engines): daily spend caps (config `spend-caps`). Amounts are millionths of the
-- configured currency (`currency`), as integers, so that sums are exact. A day is the date in `spend-caps.time-zone`
-- (ISO yyyy-mm-dd).
--
-- spend_days: what each subject (member `m:<platform>:<id>:<bot>`, community `c:<platform>:<id>:<bot>`, bot
-- `b:<bot>`) has reserved or spent on a day; `warned` is 1 once its admins were warned that it passed 80 % of its cap.
-- spend_holds: each job's reservation (its subjects, tab-separated, the day and the amount held) until it is settled
-- with the real cost or released by a refund. spend_caps: an admin's cap for one community (NULL micros: off).

CREATE TABLE spend_days (
    subject TEXT    NOT NULL,
    day     TEXT    NOT NULL,
    micros  BIGINT  NOT NULL DEFAULT 0,
    warned  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (subject, day)
);

CREATE TABLE spend_holds (
    job_id   TEXT   PRIMARY KEY,
    day      TEXT   NOT NULL,
    subjects TEXT   NOT NULL,
    micros   BIGINT NOT NULL,
    state    TEXT   NOT NULL CHECK (state IN ('held', 'settled', 'released'))
);

CREATE TABLE spend_caps (
    community  TEXT   PRIMARY KEY,
    micros     BIGINT,
    updated_at BIGINT NOT NULL
);
