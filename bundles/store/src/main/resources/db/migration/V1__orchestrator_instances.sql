-- Every orchestrator process that has opened this database, with a heartbeat, so several
-- orchestrators sharing one PostgreSQL database can see each other.
CREATE TABLE orchestrator_instance (
    instance_id  VARCHAR(36)  NOT NULL PRIMARY KEY,
    hostname     VARCHAR(255) NOT NULL,
    version      VARCHAR(64)  NOT NULL,
    started_at   TIMESTAMP    NOT NULL,
    heartbeat_at TIMESTAMP    NOT NULL
);
CREATE INDEX orchestrator_instance_heartbeat ON orchestrator_instance (heartbeat_at);
