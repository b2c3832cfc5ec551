-- Alert receivers (issue #15) and the outbox of their notifications. A notification row is written in the transaction
-- that fires or resolves the alert, so a restart loses none; the sender marks it sent, or retries it with back-off.
-- A receiver's notifications of one alert go out in order (a resolve never overtakes its firing).
CREATE TABLE alert_receiver (
    id            VARCHAR(36)   NOT NULL PRIMARY KEY,
    project_id    VARCHAR(36)   NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    name          VARCHAR(63)   NOT NULL,
    kind          VARCHAR(16)   NOT NULL,
    -- WEBHOOK: the URL; ALERTMANAGER: its base URL; EMAIL: smtp://host:port
    url           VARCHAR(1000) NOT NULL,
    email_from    VARCHAR(255),
    email_to      VARCHAR(1000),
    smtp_user     VARCHAR(255),
    -- the HMAC key (WEBHOOK) or SMTP password (EMAIL), sealed by SecretBox; never shown
    secret_sealed VARCHAR(2000),
    min_severity  VARCHAR(16)   NOT NULL,
    created_at    TIMESTAMP     NOT NULL,
    updated_at    TIMESTAMP     NOT NULL,
    CONSTRAINT alert_receiver_name UNIQUE (project_id, name)
);

CREATE TABLE alert_notification (
    id          BIGINT        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    receiver_id VARCHAR(36)   NOT NULL REFERENCES alert_receiver (id) ON DELETE CASCADE,
    alert_id    VARCHAR(36)   NOT NULL REFERENCES alert (id) ON DELETE CASCADE,
    status      VARCHAR(16)   NOT NULL,
    attempts    INTEGER       NOT NULL,
    next_at     TIMESTAMP     NOT NULL,
    last_error  VARCHAR(500),
    created_at  TIMESTAMP     NOT NULL,
    sent_at     TIMESTAMP,
    failed_at   TIMESTAMP
);
CREATE INDEX alert_notification_due ON alert_notification (sent_at, failed_at, next_at);
CREATE INDEX alert_notification_alert ON alert_notification (alert_id, receiver_id);
