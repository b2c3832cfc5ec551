-- One lease per singleton job (release-poll, liveness-sweep, audit-purge, rollout-reconcile, ...). The holder
-- renews expires_at with a conditional UPDATE; another instance takes an expired lease over and increments
-- token, the fencing token every guarded write checks (org.edgeorch.store.LeaderLeases).
CREATE TABLE leader_lease (
    job          VARCHAR(64)  NOT NULL PRIMARY KEY,
    holder       VARCHAR(36)  NOT NULL,
    holder_host  VARCHAR(255) NOT NULL,
    token        BIGINT       NOT NULL,
    acquired_at  TIMESTAMP    NOT NULL,
    expires_at   TIMESTAMP    NOT NULL
);
