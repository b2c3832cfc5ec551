-- Telemetry batch ids (issue #15): per host, the node buffer it sends from and the highest set number of that
-- buffer already stored. A set re-sent after a lost answer (its number at or below) is skipped before its samples
-- are read; a new buffer (the node's data folder was wiped) replaces the row. One row per host, updated first in
-- each ingest transaction, so two syncs of one host at once are serialised on it.
CREATE TABLE host_telemetry_mark (
    host_id    VARCHAR(36) NOT NULL PRIMARY KEY,
    buffer_id  VARCHAR(36) NOT NULL,
    last_seq   BIGINT      NOT NULL,
    updated_at TIMESTAMP   NOT NULL
);
