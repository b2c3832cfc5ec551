-- Applications on the node (issue #14): each host's state of each deployment, as its app agent reports it on
-- every sync. A row per deployment and host that reported it; a host that stops reporting a deployment (removed
-- from it) loses its row.

CREATE TABLE app_host_status (
    deployment_id VARCHAR(36)  NOT NULL REFERENCES app_deployment (id),
    host_id       VARCHAR(36)  NOT NULL,
    project_id    VARCHAR(36)  NOT NULL,
    version       VARCHAR(128),
    state         VARCHAR(16)  NOT NULL,
    reason        VARCHAR(500),
    reported_at   TIMESTAMP    NOT NULL,
    updated_at    TIMESTAMP    NOT NULL,
    PRIMARY KEY (deployment_id, host_id)
);
CREATE INDEX app_host_status_host ON app_host_status (host_id);
