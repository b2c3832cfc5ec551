-- Applications (issue #14): a project's applications, their signed versions, profiles of parameter
-- values, and deployments of a version to hosts chosen by a metadata selector or by a list.

CREATE TABLE app_application (
    id          VARCHAR(36)  NOT NULL PRIMARY KEY,
    project_id  VARCHAR(36)  NOT NULL REFERENCES project (id),
    name        VARCHAR(63)  NOT NULL,
    description VARCHAR(255),
    created_at  TIMESTAMP    NOT NULL,
    CONSTRAINT app_application_name UNIQUE (project_id, name)
);

-- A version is its signed manifest (kept exactly as signed, with its detached CMS signature in base64,
-- so nodes can check it themselves) and what was read from it.
CREATE TABLE app_version (
    id                 VARCHAR(36)    NOT NULL PRIMARY KEY,
    application_id     VARCHAR(36)    NOT NULL REFERENCES app_application (id),
    project_id         VARCHAR(36)    NOT NULL,
    version            VARCHAR(128)   NOT NULL,
    runtime            VARCHAR(16)    NOT NULL,
    manifest           VARCHAR(32000) NOT NULL,
    signature          VARCHAR(32000) NOT NULL,
    signer             VARCHAR(255)   NOT NULL,
    signer_fingerprint VARCHAR(64)    NOT NULL,
    published_by       VARCHAR(255)   NOT NULL,
    published_at       TIMESTAMP      NOT NULL,
    CONSTRAINT app_version_unique UNIQUE (application_id, version)
);

CREATE TABLE app_profile (
    id          VARCHAR(36)  NOT NULL PRIMARY KEY,
    version_id  VARCHAR(36)  NOT NULL REFERENCES app_version (id),
    project_id  VARCHAR(36)  NOT NULL,
    name        VARCHAR(63)  NOT NULL,
    description VARCHAR(255),
    created_at  TIMESTAMP    NOT NULL,
    updated_at  TIMESTAMP    NOT NULL,
    CONSTRAINT app_profile_name UNIQUE (version_id, name)
);

CREATE TABLE app_deployment (
    id          VARCHAR(36)   NOT NULL PRIMARY KEY,
    project_id  VARCHAR(36)   NOT NULL REFERENCES project (id),
    name        VARCHAR(63)   NOT NULL,
    version_id  VARCHAR(36)   NOT NULL REFERENCES app_version (id),
    profile_id  VARCHAR(36)   REFERENCES app_profile (id),
    target_kind VARCHAR(16)   NOT NULL,
    selector    VARCHAR(4000),
    created_by  VARCHAR(255)  NOT NULL,
    created_at  TIMESTAMP     NOT NULL,
    updated_at  TIMESTAMP     NOT NULL,
    CONSTRAINT app_deployment_name UNIQUE (project_id, name)
);
CREATE INDEX app_deployment_version ON app_deployment (version_id);

-- The hosts of a deployment whose target is a list.
CREATE TABLE app_deployment_host (
    deployment_id VARCHAR(36) NOT NULL REFERENCES app_deployment (id),
    host_id       VARCHAR(36) NOT NULL REFERENCES host (id),
    PRIMARY KEY (deployment_id, host_id)
);
CREATE INDEX app_deployment_host_host ON app_deployment_host (host_id);

-- Parameter values of a profile (owner_type PROFILE) or a deployment's overrides (DEPLOYMENT). A secret's
-- value is AES-GCM ciphertext (base64) under a key kept outside the database.
CREATE TABLE app_value (
    owner_type  VARCHAR(16)   NOT NULL,
    owner_id    VARCHAR(36)   NOT NULL,
    param_name  VARCHAR(63)   NOT NULL,
    param_value VARCHAR(8000) NOT NULL,
    secret      BOOLEAN       NOT NULL,
    PRIMARY KEY (owner_type, owner_id, param_name)
);
