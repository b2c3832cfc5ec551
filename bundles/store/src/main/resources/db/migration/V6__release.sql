-- The release service: the trust store release signatures are checked against, the releases that
-- passed, what detection saw and did, and each project's OS profiles and the resources they offer.

-- Certificates whose signatures are accepted. Several at once (rotation); a revoked one stays, so
-- that what it signed can be explained.
CREATE TABLE release_signer (
    id                VARCHAR(36)   NOT NULL PRIMARY KEY,
    name              VARCHAR(63)   NOT NULL UNIQUE,
    fingerprint       VARCHAR(64)   NOT NULL UNIQUE,
    subject           VARCHAR(512)  NOT NULL,
    not_before        TIMESTAMP     NOT NULL,
    not_after         TIMESTAMP     NOT NULL,
    certificate       VARCHAR(8000) NOT NULL,
    added_by          VARCHAR(63)   NOT NULL,
    added_at          TIMESTAMP     NOT NULL,
    revoked_at        TIMESTAMP,
    revocation_reason VARCHAR(255)
);

-- Revocation lists of trusted CAs, one per issuer (a newer list replaces the older).
CREATE TABLE release_crl (
    issuer      VARCHAR(512)   NOT NULL PRIMARY KEY,
    crl         VARCHAR(32000) NOT NULL,
    this_update TIMESTAMP      NOT NULL,
    next_update TIMESTAMP,
    entries     INTEGER        NOT NULL,
    added_by    VARCHAR(63)    NOT NULL,
    added_at    TIMESTAMP      NOT NULL
);

-- Verified releases, platform-wide. The signed manifest and its signature are kept as published, so
-- nodes can check the signature themselves.
CREATE TABLE os_release (
    id                 VARCHAR(36)    NOT NULL PRIMARY KEY,
    profile            VARCHAR(63)    NOT NULL,
    version            VARCHAR(128)   NOT NULL,
    os_type            VARCHAR(16)    NOT NULL,
    architecture       VARCHAR(32)    NOT NULL,
    image_digest       VARCHAR(71)    NOT NULL,
    image_size         BIGINT         NOT NULL,
    security_feature   VARCHAR(63)    NOT NULL,
    description        VARCHAR(1000)  NOT NULL,
    known_cves         VARCHAR(8000)  NOT NULL,
    fixed_cves         VARCHAR(8000)  NOT NULL,
    repository         VARCHAR(255)   NOT NULL,
    manifest_digest    VARCHAR(71)    NOT NULL,
    release_manifest   VARCHAR(32000) NOT NULL,
    signature          VARCHAR(32000) NOT NULL,
    signer             VARCHAR(512)   NOT NULL,
    signer_fingerprint VARCHAR(64)    NOT NULL,
    created            VARCHAR(40)    NOT NULL,
    detected_at        TIMESTAMP      NOT NULL,
    source             VARCHAR(16)    NOT NULL,
    status             VARCHAR(16)    NOT NULL,
    CONSTRAINT os_release_version UNIQUE (profile, version)
);
CREATE INDEX os_release_image ON os_release (image_digest);

-- Every (repository, tag, manifest digest) detection finished with, accepted or rejected: written in
-- the same transaction as the outcome, so nothing is processed twice and nothing is lost by a crash.
CREATE TABLE release_seen (
    repository      VARCHAR(255) NOT NULL,
    tag             VARCHAR(128) NOT NULL,
    manifest_digest VARCHAR(71)  NOT NULL,
    outcome         VARCHAR(16)  NOT NULL,
    seen_at         TIMESTAMP    NOT NULL,
    PRIMARY KEY (repository, tag, manifest_digest)
);

CREATE TABLE release_event (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at     TIMESTAMP     NOT NULL,
    source          VARCHAR(16)   NOT NULL,
    repository      VARCHAR(255),
    tag             VARCHAR(128),
    manifest_digest VARCHAR(71),
    profile         VARCHAR(63),
    version         VARCHAR(128),
    outcome         VARCHAR(16)   NOT NULL,
    reason          VARCHAR(32),
    detail          VARCHAR(1000) NOT NULL
);
CREATE INDEX release_event_profile ON release_event (profile, id);

CREATE TABLE os_profile (
    id              VARCHAR(36)   NOT NULL PRIMARY KEY,
    project_id      VARCHAR(36)   NOT NULL REFERENCES project (id),
    name            VARCHAR(63)   NOT NULL,
    release_profile VARCHAR(63)   NOT NULL,
    version_range   VARCHAR(128)  NOT NULL,
    mode            VARCHAR(16)   NOT NULL,
    architecture    VARCHAR(32),
    description     VARCHAR(1000) NOT NULL,
    created_at      TIMESTAMP     NOT NULL,
    updated_at      TIMESTAMP     NOT NULL,
    CONSTRAINT os_profile_name UNIQUE (project_id, name)
);
CREATE INDEX os_profile_follows ON os_profile (release_profile);

CREATE TABLE os_resource (
    id          VARCHAR(36) NOT NULL PRIMARY KEY,
    project_id  VARCHAR(36) NOT NULL REFERENCES project (id),
    profile_id  VARCHAR(36) NOT NULL REFERENCES os_profile (id),
    release_id  VARCHAR(36) NOT NULL REFERENCES os_release (id),
    imported_by VARCHAR(63) NOT NULL,
    created_at  TIMESTAMP   NOT NULL,
    CONSTRAINT os_resource_release UNIQUE (profile_id, release_id)
);
CREATE INDEX os_resource_project ON os_resource (project_id);
