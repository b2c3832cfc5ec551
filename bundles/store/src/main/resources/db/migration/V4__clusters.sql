-- Clusters: named groups of a project's hosts, created from a template; metadata in the metadata table
-- (object_type CLUSTER).
CREATE TABLE cluster (
    id         VARCHAR(36) NOT NULL PRIMARY KEY,
    project_id VARCHAR(36) NOT NULL REFERENCES project (id),
    name       VARCHAR(63) NOT NULL,
    template   VARCHAR(63) NOT NULL,
    created_at TIMESTAMP   NOT NULL,
    CONSTRAINT cluster_name UNIQUE (project_id, name)
);

CREATE TABLE cluster_host (
    cluster_id VARCHAR(36) NOT NULL REFERENCES cluster (id),
    host_id    VARCHAR(36) NOT NULL REFERENCES host (id),
    PRIMARY KEY (cluster_id, host_id)
);
CREATE INDEX cluster_host_host ON cluster_host (host_id);
