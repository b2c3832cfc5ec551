-- Maintenance windows and update policies. Each is attached to exactly one target of its project: a region, a site,
-- a cluster or a host. One column per kind of target, each a foreign key that cascades: deleting a target (the fleet
-- deletes empty regions and sites, clusters and hosts) takes its windows and policy with it, and the windows and
-- policy a host inherits are found by index from the host, its site, its site's regions and its clusters.

CREATE TABLE maintenance_window (
    id                VARCHAR(36)  NOT NULL PRIMARY KEY,
    project_id        VARCHAR(36)  NOT NULL REFERENCES project (id),
    name              VARCHAR(63)  NOT NULL,
    target_type       VARCHAR(8)   NOT NULL,
    region_id         VARCHAR(36)  REFERENCES region (id) ON DELETE CASCADE,
    site_id           VARCHAR(36)  REFERENCES site (id) ON DELETE CASCADE,
    cluster_id        VARCHAR(36)  REFERENCES cluster (id) ON DELETE CASCADE,
    host_id           VARCHAR(36)  REFERENCES host (id) ON DELETE CASCADE,
    -- single windows: from starts_at until ends_at (NULL: open-ended)
    starts_at         TIMESTAMP,
    ends_at           TIMESTAMP,
    -- repeated windows: five-field cron read in an IANA time zone, each occurrence lasting an ISO-8601 duration
    cron_expression   VARCHAR(255),
    time_zone         VARCHAR(64),
    occurrence_length VARCHAR(64),
    created_at        TIMESTAMP    NOT NULL,
    updated_at        TIMESTAMP    NOT NULL,
    CONSTRAINT maintenance_window_name UNIQUE (project_id, name),
    CONSTRAINT maintenance_window_target CHECK (
        (target_type = 'REGION' AND region_id IS NOT NULL AND site_id IS NULL AND cluster_id IS NULL AND host_id IS NULL)
        OR (target_type = 'SITE' AND region_id IS NULL AND site_id IS NOT NULL AND cluster_id IS NULL AND host_id IS NULL)
        OR (target_type = 'CLUSTER' AND region_id IS NULL AND site_id IS NULL AND cluster_id IS NOT NULL AND host_id IS NULL)
        OR (target_type = 'HOST' AND region_id IS NULL AND site_id IS NULL AND cluster_id IS NULL AND host_id IS NOT NULL)),
    CONSTRAINT maintenance_window_timing CHECK (
        (starts_at IS NOT NULL AND cron_expression IS NULL AND time_zone IS NULL AND occurrence_length IS NULL)
        OR (starts_at IS NULL AND ends_at IS NULL AND cron_expression IS NOT NULL AND time_zone IS NOT NULL
            AND occurrence_length IS NOT NULL))
);
CREATE INDEX maintenance_window_region ON maintenance_window (region_id);
CREATE INDEX maintenance_window_site ON maintenance_window (site_id);
CREATE INDEX maintenance_window_cluster ON maintenance_window (cluster_id);
CREATE INDEX maintenance_window_host ON maintenance_window (host_id);

-- At most one policy per target (the unique constraints, which both databases keep with any number of NULLs, are
-- also the lookup indexes). LATEST follows the newest OS resource of the project's OS profile os_profile; TARGET
-- pins pinned_version of it. The profile is kept by name: a policy whose profile or version is gone stays, and the
-- host's desired OS says why there is none.
CREATE TABLE update_policy (
    id             VARCHAR(36)  NOT NULL PRIMARY KEY,
    project_id     VARCHAR(36)  NOT NULL REFERENCES project (id),
    target_type    VARCHAR(8)   NOT NULL,
    region_id      VARCHAR(36)  REFERENCES region (id) ON DELETE CASCADE,
    site_id        VARCHAR(36)  REFERENCES site (id) ON DELETE CASCADE,
    cluster_id     VARCHAR(36)  REFERENCES cluster (id) ON DELETE CASCADE,
    host_id        VARCHAR(36)  REFERENCES host (id) ON DELETE CASCADE,
    policy_kind    VARCHAR(8)   NOT NULL,
    os_profile     VARCHAR(63)  NOT NULL,
    pinned_version VARCHAR(128),
    updated_by     VARCHAR(63)  NOT NULL,
    created_at     TIMESTAMP    NOT NULL,
    updated_at     TIMESTAMP    NOT NULL,
    CONSTRAINT update_policy_region UNIQUE (region_id),
    CONSTRAINT update_policy_site UNIQUE (site_id),
    CONSTRAINT update_policy_cluster UNIQUE (cluster_id),
    CONSTRAINT update_policy_host UNIQUE (host_id),
    CONSTRAINT update_policy_target CHECK (
        (target_type = 'REGION' AND region_id IS NOT NULL AND site_id IS NULL AND cluster_id IS NULL AND host_id IS NULL)
        OR (target_type = 'SITE' AND region_id IS NULL AND site_id IS NOT NULL AND cluster_id IS NULL AND host_id IS NULL)
        OR (target_type = 'CLUSTER' AND region_id IS NULL AND site_id IS NULL AND cluster_id IS NOT NULL AND host_id IS NULL)
        OR (target_type = 'HOST' AND region_id IS NULL AND site_id IS NULL AND cluster_id IS NULL AND host_id IS NOT NULL)),
    CONSTRAINT update_policy_kind CHECK (
        (policy_kind = 'LATEST' AND pinned_version IS NULL) OR (policy_kind = 'TARGET' AND pinned_version IS NOT NULL))
);
CREATE INDEX update_policy_project ON update_policy (project_id);
