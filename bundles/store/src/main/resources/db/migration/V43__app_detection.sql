-- Application versions found in the release service (issue #14): every tag of an application repository
-- detection has finished with, by manifest digest, and what came of it, so a tag is checked once however many
-- notifications and polls name it, and a crash between the check and this row leaves it to be checked again.
CREATE TABLE app_seen (
    repository      VARCHAR(255)  NOT NULL,
    tag             VARCHAR(128)  NOT NULL,
    manifest_digest VARCHAR(71)   NOT NULL,
    outcome         VARCHAR(16)   NOT NULL,
    detail          VARCHAR(1000),
    seen_at         TIMESTAMP     NOT NULL,
    CONSTRAINT app_seen_pk PRIMARY KEY (repository, tag, manifest_digest)
);
