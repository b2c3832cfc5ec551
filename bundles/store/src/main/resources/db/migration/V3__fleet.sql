-- Regions (nested), sites and hosts of a project, with metadata inherited region -> site -> host.
CREATE TABLE region (
    id         VARCHAR(36) NOT NULL PRIMARY KEY,
    project_id VARCHAR(36) NOT NULL REFERENCES project (id),
    parent_id  VARCHAR(36) REFERENCES region (id),
    name       VARCHAR(63) NOT NULL,
    created_at TIMESTAMP   NOT NULL,
    CONSTRAINT region_name UNIQUE (project_id, name)
);

CREATE TABLE site (
    id         VARCHAR(36)  NOT NULL PRIMARY KEY,
    project_id VARCHAR(36)  NOT NULL REFERENCES project (id),
    region_id  VARCHAR(36)  REFERENCES region (id),
    name       VARCHAR(63)  NOT NULL,
    address    VARCHAR(255),
    latitude   DOUBLE PRECISION,
    longitude  DOUBLE PRECISION,
    created_at TIMESTAMP    NOT NULL,
    CONSTRAINT site_name UNIQUE (project_id, name)
);

-- A UUID is unique in its project; a serial number only among the project's hosts without UUID
-- (checked by the fleet service: neither database has partial unique indexes in common).
CREATE TABLE host (
    id                VARCHAR(36)  NOT NULL PRIMARY KEY,
    project_id        VARCHAR(36)  NOT NULL REFERENCES project (id),
    site_id           VARCHAR(36)  REFERENCES site (id),
    name              VARCHAR(63)  NOT NULL,
    serial_number     VARCHAR(128),
    uuid              VARCHAR(36),
    status            VARCHAR(16)  NOT NULL,
    status_reason     VARCHAR(255),
    status_changed_at TIMESTAMP    NOT NULL,
    created_at        TIMESTAMP    NOT NULL,
    last_seen_at      TIMESTAMP,
    CONSTRAINT host_name UNIQUE (project_id, name),
    CONSTRAINT host_uuid UNIQUE (project_id, uuid)
);
CREATE INDEX host_project_status ON host (project_id, status);
CREATE INDEX host_project_site ON host (project_id, site_id);
CREATE INDEX host_project_serial ON host (project_id, serial_number);

-- Metadata set directly on a region, site or host.
CREATE TABLE metadata (
    object_type VARCHAR(8)   NOT NULL,
    object_id   VARCHAR(36)  NOT NULL,
    meta_key    VARCHAR(63)  NOT NULL,
    meta_value  VARCHAR(255) NOT NULL,
    PRIMARY KEY (object_type, object_id, meta_key)
);

-- Each host's effective metadata (inherited and own), kept current on every change so that filtering
-- 100,000 hosts by metadata is one indexed lookup.
CREATE TABLE host_label (
    host_id    VARCHAR(36)  NOT NULL REFERENCES host (id),
    project_id VARCHAR(36)  NOT NULL,
    meta_key   VARCHAR(63)  NOT NULL,
    meta_value VARCHAR(255) NOT NULL,
    PRIMARY KEY (host_id, meta_key)
);
CREATE INDEX host_label_lookup ON host_label (project_id, meta_key, meta_value);
