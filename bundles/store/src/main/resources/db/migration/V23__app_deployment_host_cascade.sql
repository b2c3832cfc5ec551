-- A host listed by a HOSTS deployment can be deleted (issue #14): the list's foreign key to host now cascades, so
-- deleting the host takes it off the list. The table is rebuilt, keeping its rows, in SQL that Derby and PostgreSQL
-- both run (the constraint's generated name differs between them).
CREATE TABLE app_deployment_host_copy AS SELECT deployment_id, host_id FROM app_deployment_host WITH NO DATA;
INSERT INTO app_deployment_host_copy (deployment_id, host_id) SELECT deployment_id, host_id FROM app_deployment_host;
DROP TABLE app_deployment_host;
CREATE TABLE app_deployment_host (
    deployment_id VARCHAR(36) NOT NULL REFERENCES app_deployment (id),
    host_id       VARCHAR(36) NOT NULL REFERENCES host (id) ON DELETE CASCADE,
    PRIMARY KEY (deployment_id, host_id)
);
INSERT INTO app_deployment_host (deployment_id, host_id) SELECT deployment_id, host_id FROM app_deployment_host_copy;
DROP TABLE app_deployment_host_copy;
CREATE INDEX app_deployment_host_host ON app_deployment_host (host_id);
