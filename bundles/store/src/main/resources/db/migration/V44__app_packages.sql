-- Deployment packages (issue #14): a project's named, versioned sets of application versions, each with an optional
-- profile, deployed and upgraded together. A package deployment is one app_deployment per entry (so each host's
-- agent and status stay per application), tied together by package_deployment and the package version they run.
CREATE TABLE app_package (
    id          VARCHAR(36)  NOT NULL PRIMARY KEY,
    project_id  VARCHAR(36)  NOT NULL REFERENCES project (id),
    name        VARCHAR(63)  NOT NULL,
    description VARCHAR(255),
    created_at  TIMESTAMP    NOT NULL,
    CONSTRAINT app_package_name UNIQUE (project_id, name)
);

CREATE TABLE app_package_version (
    id          VARCHAR(36)  NOT NULL PRIMARY KEY,
    package_id  VARCHAR(36)  NOT NULL REFERENCES app_package (id),
    project_id  VARCHAR(36)  NOT NULL,
    version     VARCHAR(128) NOT NULL,
    description VARCHAR(255),
    created_by  VARCHAR(255) NOT NULL,
    created_at  TIMESTAMP    NOT NULL,
    CONSTRAINT app_package_version_unique UNIQUE (package_id, version)
);

CREATE TABLE app_package_entry (
    package_version_id VARCHAR(36) NOT NULL REFERENCES app_package_version (id),
    entry_index        INTEGER     NOT NULL,
    application_id     VARCHAR(36) NOT NULL REFERENCES app_application (id),
    version_id         VARCHAR(36) NOT NULL REFERENCES app_version (id),
    profile_id         VARCHAR(36) REFERENCES app_profile (id),
    CONSTRAINT app_package_entry_pk PRIMARY KEY (package_version_id, application_id)
);

ALTER TABLE app_deployment ADD COLUMN package_version_id VARCHAR(36) REFERENCES app_package_version (id);
ALTER TABLE app_deployment ADD COLUMN package_deployment VARCHAR(63);
CREATE INDEX app_deployment_package ON app_deployment (project_id, package_deployment);
