-- Request counts shared by every replica: one row per subject (an organisation, a
-- link, a sign-in email) and window (minute, hour), holding the current window only.

CREATE TABLE rate_counters (
    subject       TEXT NOT NULL,
    window_name   TEXT NOT NULL,
    window_start  BIGINT NOT NULL,
    used          BIGINT NOT NULL,
    PRIMARY KEY (subject, window_name)
);
CREATE INDEX rate_counters_by_start ON rate_counters (window_start);
