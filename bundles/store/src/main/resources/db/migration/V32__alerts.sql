-- Alerts (issue #15): rules per project, their overrides per region, site or host, alerts FIRING then RESOLVED, and
-- silences. Times are TIMESTAMPs in UTC like the rest of the schema; a deleted project takes its rows along (every
-- project gets the default rules, so a plain reference would keep an empty project from being deleted).
CREATE TABLE alert_rule (
    id               VARCHAR(36)      NOT NULL PRIMARY KEY,
    project_id       VARCHAR(36)      NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    name             VARCHAR(63)      NOT NULL,
    kind             VARCHAR(24)      NOT NULL,
    -- the metric of a METRIC rule, the status of a HOST_STATUS rule; null for the others
    parameter        VARCHAR(63),
    threshold        DOUBLE PRECISION,
    duration_seconds INTEGER          NOT NULL,
    severity         VARCHAR(16)      NOT NULL,
    selector         VARCHAR(4000),
    enabled          BOOLEAN          NOT NULL,
    builtin          BOOLEAN          NOT NULL,
    created_at       TIMESTAMP        NOT NULL,
    updated_at       TIMESTAMP        NOT NULL,
    CONSTRAINT alert_rule_name UNIQUE (project_id, name)
);

-- A rule's threshold, duration or enablement for one region (and everything under it), site or host; the host's own
-- wins over its site's, which wins over the nearest region's.
CREATE TABLE alert_rule_override (
    rule_id          VARCHAR(36)      NOT NULL REFERENCES alert_rule (id) ON DELETE CASCADE,
    target_type      VARCHAR(8)       NOT NULL,
    target_id        VARCHAR(36)      NOT NULL,
    target_name      VARCHAR(63)      NOT NULL,
    threshold        DOUBLE PRECISION,
    duration_seconds INTEGER,
    enabled          BOOLEAN,
    PRIMARY KEY (rule_id, target_type, target_id)
);

-- One alert per rule and object while it fires: firing_key is "<rule id>|<subject>" while FIRING and NULL once
-- RESOLVED, so the unique constraint refuses a second firing of the same rule on the same object whoever evaluates.
CREATE TABLE alert (
    id               VARCHAR(36)      NOT NULL PRIMARY KEY,
    project_id       VARCHAR(36)      NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    rule_id          VARCHAR(36)      NOT NULL,
    rule_name        VARCHAR(63)      NOT NULL,
    kind             VARCHAR(24)      NOT NULL,
    severity         VARCHAR(16)      NOT NULL,
    subject          VARCHAR(255)     NOT NULL,
    host_id          VARCHAR(36),
    host_name        VARCHAR(63),
    state            VARCHAR(16)      NOT NULL,
    val              DOUBLE PRECISION,
    message          VARCHAR(1000)    NOT NULL,
    since_at         TIMESTAMP        NOT NULL,
    fired_at         TIMESTAMP        NOT NULL,
    resolved_at      TIMESTAMP,
    acknowledged_by  VARCHAR(63),
    acknowledged_at  TIMESTAMP,
    muted_by         VARCHAR(160),
    firing_key       VARCHAR(300),
    CONSTRAINT alert_firing_key UNIQUE (firing_key)
);
CREATE INDEX alert_project_state ON alert (project_id, state, fired_at);

CREATE TABLE alert_silence (
    id          VARCHAR(36)   NOT NULL PRIMARY KEY,
    project_id  VARCHAR(36)   NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    rule_name   VARCHAR(63),
    subject     VARCHAR(255),
    comment_text VARCHAR(1000) NOT NULL,
    created_by  VARCHAR(63)   NOT NULL,
    created_at  TIMESTAMP     NOT NULL,
    expires_at  TIMESTAMP     NOT NULL
);
CREATE INDEX alert_silence_project ON alert_silence (project_id, expires_at);
