-- Organisations contain projects; every other object of the product belongs to exactly one project.
CREATE TABLE organization (
    id           VARCHAR(36)  NOT NULL PRIMARY KEY,
    name         VARCHAR(63)  NOT NULL UNIQUE,
    display_name VARCHAR(255) NOT NULL,
    created_at   TIMESTAMP    NOT NULL
);

-- Project names are unique across organisations: they appear alone in REST paths.
CREATE TABLE project (
    id           VARCHAR(36)  NOT NULL PRIMARY KEY,
    org_id       VARCHAR(36)  NOT NULL REFERENCES organization (id),
    name         VARCHAR(63)  NOT NULL UNIQUE,
    display_name VARCHAR(255) NOT NULL,
    created_at   TIMESTAMP    NOT NULL
);

-- Local accounts; the password is an Argon2id PHC string, never the password.
CREATE TABLE app_user (
    id            VARCHAR(36)  NOT NULL PRIMARY KEY,
    org_id        VARCHAR(36)  NOT NULL REFERENCES organization (id),
    username      VARCHAR(63)  NOT NULL UNIQUE,
    display_name  VARCHAR(255) NOT NULL,
    password_hash VARCHAR(255),
    enabled       BOOLEAN      NOT NULL,
    created_at    TIMESTAMP    NOT NULL
);

CREATE TABLE user_group (
    id         VARCHAR(36) NOT NULL PRIMARY KEY,
    org_id     VARCHAR(36) NOT NULL REFERENCES organization (id),
    name       VARCHAR(63) NOT NULL,
    created_at TIMESTAMP   NOT NULL,
    CONSTRAINT user_group_name UNIQUE (org_id, name)
);

CREATE TABLE group_member (
    group_id VARCHAR(36) NOT NULL REFERENCES user_group (id),
    user_id  VARCHAR(36) NOT NULL REFERENCES app_user (id),
    PRIMARY KEY (group_id, user_id)
);

-- A role granted to a user or a group, on an organisation or on a project.
CREATE TABLE role_binding (
    id           VARCHAR(36) NOT NULL PRIMARY KEY,
    subject_type VARCHAR(16) NOT NULL,
    subject_id   VARCHAR(36) NOT NULL,
    scope_type   VARCHAR(16) NOT NULL,
    scope_id     VARCHAR(36) NOT NULL,
    role         VARCHAR(32) NOT NULL,
    created_at   TIMESTAMP   NOT NULL,
    CONSTRAINT role_binding_unique UNIQUE (subject_type, subject_id, scope_type, scope_id, role)
);
CREATE INDEX role_binding_scope ON role_binding (scope_type, scope_id);

-- API tokens are signed JWTs; only their id (jti) and metadata are kept, so a revoked id is refused.
CREATE TABLE api_token (
    id           VARCHAR(36)  NOT NULL PRIMARY KEY,
    user_id      VARCHAR(36)  NOT NULL REFERENCES app_user (id),
    name         VARCHAR(100) NOT NULL,
    kind         VARCHAR(8)   NOT NULL,
    created_at   TIMESTAMP    NOT NULL,
    expires_at   TIMESTAMP    NOT NULL,
    revoked_at   TIMESTAMP
);
CREATE INDEX api_token_user ON api_token (user_id);

-- Keys that sign tokens; shared through the database so every orchestrator verifies every token.
CREATE TABLE signing_key (
    kid         VARCHAR(36)   NOT NULL PRIMARY KEY,
    algorithm   VARCHAR(16)   NOT NULL,
    private_key VARCHAR(4000) NOT NULL,
    public_key  VARCHAR(4000) NOT NULL,
    created_at  TIMESTAMP     NOT NULL,
    retired_at  TIMESTAMP
);

CREATE TABLE audit_event (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at    TIMESTAMP     NOT NULL,
    actor          VARCHAR(63)   NOT NULL,
    org_id         VARCHAR(36),
    project_id     VARCHAR(36),
    action         VARCHAR(63)   NOT NULL,
    object_type    VARCHAR(32)   NOT NULL,
    object_id      VARCHAR(255),
    outcome        VARCHAR(16)   NOT NULL,
    source_address VARCHAR(64),
    detail         VARCHAR(1000)
);
CREATE INDEX audit_event_occurred ON audit_event (occurred_at);
CREATE INDEX audit_event_project_occurred ON audit_event (project_id, occurred_at);
