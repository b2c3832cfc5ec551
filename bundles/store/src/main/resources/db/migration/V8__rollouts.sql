-- Rollouts in waves and the update runs they and update policies make (bundle org.edgeorch.scheduling).
-- Every state change is a conditional UPDATE (... WHERE state = <what it was>), so several orchestrators can
-- reconcile the same rollouts and a restarted one carries on from what is recorded here.

CREATE TABLE rollout (
    id             VARCHAR(36)   NOT NULL PRIMARY KEY,
    project_id     VARCHAR(36)   NOT NULL REFERENCES project (id),
    name           VARCHAR(63)   NOT NULL,
    description    VARCHAR(1000) NOT NULL,
    os_profile     VARCHAR(63)   NOT NULL,
    target_version VARCHAR(128)  NOT NULL,
    selection      VARCHAR(4000) NOT NULL,
    on_failure     VARCHAR(8)    NOT NULL,
    state          VARCHAR(16)   NOT NULL,
    state_reason   VARCHAR(1000),
    current_wave   INTEGER       NOT NULL,
    created_by     VARCHAR(63)   NOT NULL,
    created_at     TIMESTAMP     NOT NULL,
    started_at     TIMESTAMP,
    finished_at    TIMESTAMP,
    CONSTRAINT rollout_name UNIQUE (project_id, name)
);
CREATE INDEX rollout_state ON rollout (state);

CREATE TABLE rollout_wave (
    rollout_id           VARCHAR(36) NOT NULL REFERENCES rollout (id),
    wave_number          INTEGER     NOT NULL,
    size_count           INTEGER,
    size_percent         INTEGER,
    spread_sites         BOOLEAN     NOT NULL,
    success_percent      INTEGER     NOT NULL,
    failure_percent      INTEGER     NOT NULL,
    failure_min_finished INTEGER     NOT NULL,
    soak_seconds         BIGINT      NOT NULL,
    host_timeout_seconds BIGINT      NOT NULL,
    host_count           INTEGER     NOT NULL,
    state                VARCHAR(16) NOT NULL,
    -- failures an operator accepted by resuming; the failure threshold counts only later ones
    failures_accepted    INTEGER     NOT NULL,
    started_at           TIMESTAMP,
    soak_until           TIMESTAMP,
    finished_at          TIMESTAMP,
    PRIMARY KEY (rollout_id, wave_number)
);

-- The hosts a rollout moves, frozen at creation, each in its wave. No reference to host: a host may be deleted
-- during a rollout (its run then times out) and the history stays.
CREATE TABLE rollout_host (
    rollout_id  VARCHAR(36) NOT NULL REFERENCES rollout (id),
    host_id     VARCHAR(36) NOT NULL,
    host_name   VARCHAR(63) NOT NULL,
    site_name   VARCHAR(63),
    wave_number INTEGER     NOT NULL,
    PRIMARY KEY (rollout_id, host_id)
);
CREATE INDEX rollout_host_wave ON rollout_host (rollout_id, wave_number);

-- A host belongs to at most one unfinished rollout: the row is the claim, deleted when the rollout ends.
CREATE TABLE rollout_claim (
    host_id    VARCHAR(36) NOT NULL PRIMARY KEY,
    rollout_id VARCHAR(36) NOT NULL REFERENCES rollout (id)
);
CREATE INDEX rollout_claim_rollout ON rollout_claim (rollout_id);

-- Each attempt on a host; id is the runId of the host's desired OS and update reports. A rollout makes at most
-- one run per host (unique; NULL rollouts, the policies' runs, do not collide).
CREATE TABLE update_run (
    id                   VARCHAR(36)   NOT NULL PRIMARY KEY,
    project_id           VARCHAR(36)   NOT NULL REFERENCES project (id),
    host_id              VARCHAR(36)   NOT NULL,
    host_name            VARCHAR(63)   NOT NULL,
    rollout_id           VARCHAR(36)   REFERENCES rollout (id),
    wave_number          INTEGER,
    os_profile           VARCHAR(63)   NOT NULL,
    from_version         VARCHAR(128),
    to_version           VARCHAR(128)  NOT NULL,
    status               VARCHAR(16)   NOT NULL,
    failure              VARCHAR(24),
    detail               VARCHAR(1000),
    progress             INTEGER       NOT NULL,
    policy_source        VARCHAR(255),
    host_timeout_seconds BIGINT        NOT NULL,
    -- the first opening of one of the host's maintenance windows at or after created_at, as last computed;
    -- deadline is set from it (plus the timeout) once it has passed
    window_opens_at      TIMESTAMP     NOT NULL,
    deadline             TIMESTAMP,
    created_at           TIMESTAMP     NOT NULL,
    started_at           TIMESTAMP,
    updated_at           TIMESTAMP     NOT NULL,
    finished_at          TIMESTAMP,
    CONSTRAINT update_run_rollout_host UNIQUE (rollout_id, host_id)
);
CREATE INDEX update_run_wave ON update_run (rollout_id, wave_number, status);
CREATE INDEX update_run_host ON update_run (host_id, created_at);

-- The unfinished run of each host: at most one (the key), so two orchestrators never give a host two runs.
-- Only unfinished runs have a row, which keeps the reconciler's sweeps (deadlines, timeouts) small.
CREATE TABLE update_run_active (
    host_id VARCHAR(36) NOT NULL PRIMARY KEY,
    run_id  VARCHAR(36) NOT NULL UNIQUE REFERENCES update_run (id)
);

-- The OS version each host last reported running, and since when.
CREATE TABLE host_os (
    host_id     VARCHAR(36)  NOT NULL PRIMARY KEY,
    project_id  VARCHAR(36)  NOT NULL,
    version     VARCHAR(128) NOT NULL,
    reported_at TIMESTAMP    NOT NULL
);
