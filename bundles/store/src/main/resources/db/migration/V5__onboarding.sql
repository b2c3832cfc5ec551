-- Onboarding and the southbound side of the fleet: the host certificate authority, the certificates it
-- issued (kept after a host is deleted, so a revoked certificate stays revoked), enrolment tokens,
-- inventory with its change history, and the reports agents send (idempotent by sequence number).

-- One row per authority; 'hosts' signs host and orchestrator TLS certificates. Shared by every
-- orchestrator on the database, so all of them trust the same hosts.
CREATE TABLE certificate_authority (
    id          VARCHAR(16)   NOT NULL PRIMARY KEY,
    certificate VARCHAR(4000) NOT NULL,
    private_key VARCHAR(4000) NOT NULL,
    created_at  TIMESTAMP     NOT NULL
);

CREATE TABLE host_certificate (
    serial            VARCHAR(40)  NOT NULL PRIMARY KEY,
    host_id           VARCHAR(36)  NOT NULL,
    project_id        VARCHAR(36)  NOT NULL,
    host_name         VARCHAR(63)  NOT NULL,
    not_before        TIMESTAMP    NOT NULL,
    not_after         TIMESTAMP    NOT NULL,
    revoked_at        TIMESTAMP,
    revocation_reason VARCHAR(32)
);
CREATE INDEX host_certificate_host ON host_certificate (host_id);

-- Only the SHA-256 of a token's secret is stored; the secret is shown once when the token is made.
CREATE TABLE enrolment_token (
    id         VARCHAR(36)  NOT NULL PRIMARY KEY,
    project_id VARCHAR(36)  NOT NULL REFERENCES project (id),
    name       VARCHAR(63)  NOT NULL,
    secret_sha256 VARCHAR(64) NOT NULL,
    site_id    VARCHAR(36)  REFERENCES site (id),
    expires_at TIMESTAMP    NOT NULL,
    max_uses   INTEGER,
    uses       INTEGER      NOT NULL,
    created_by VARCHAR(63)  NOT NULL,
    created_at TIMESTAMP    NOT NULL,
    revoked_at TIMESTAMP,
    CONSTRAINT enrolment_token_name UNIQUE (project_id, name),
    CONSTRAINT enrolment_token_secret UNIQUE (secret_sha256)
);

ALTER TABLE host ADD COLUMN auto_onboard BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE host ADD COLUMN agent_version VARCHAR(63);
ALTER TABLE host ADD COLUMN onboarded_at TIMESTAMP;

-- The last inventory a host reported (JSON), and what changed each time it changed.
CREATE TABLE host_inventory (
    host_id     VARCHAR(36)    NOT NULL PRIMARY KEY REFERENCES host (id),
    project_id  VARCHAR(36)    NOT NULL,
    sha256      VARCHAR(64)    NOT NULL,
    inventory   VARCHAR(32000) NOT NULL,
    reported_at TIMESTAMP      NOT NULL
);

CREATE TABLE host_inventory_change (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    host_id    VARCHAR(36)   NOT NULL REFERENCES host (id),
    project_id VARCHAR(36)   NOT NULL,
    changed_at TIMESTAMP     NOT NULL,
    sections   VARCHAR(255)  NOT NULL,
    summary    VARCHAR(4000) NOT NULL
);
CREATE INDEX host_inventory_change_host ON host_inventory_change (host_id, id);

-- What agents report between syncs (status changes, errors), numbered by the agent so a report
-- re-sent after a lost answer is stored once.
CREATE TABLE host_report (
    host_id     VARCHAR(36)   NOT NULL REFERENCES host (id),
    seq         BIGINT        NOT NULL,
    project_id  VARCHAR(36)   NOT NULL,
    occurred_at TIMESTAMP     NOT NULL,
    received_at TIMESTAMP     NOT NULL,
    kind        VARCHAR(32)   NOT NULL,
    detail      VARCHAR(1000),
    PRIMARY KEY (host_id, seq)
);
