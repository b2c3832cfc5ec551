-- Telemetry settings per project (issue #15): how often the project's hosts sample their telemetry, handed to them in
-- the desired state of each sync. A project without a row samples at the default (30 s). V41: the next number after
-- V40 (Flyway refuses a lower version than one applied, so an existing database could not take a V34).
-- No foreign key to project, as the other observability tables: a deleted project's row is unused.
CREATE TABLE telemetry_setting (
    project_id       VARCHAR(36) NOT NULL PRIMARY KEY,
    interval_seconds INTEGER     NOT NULL,
    updated_at       TIMESTAMP   NOT NULL
);
