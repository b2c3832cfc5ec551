-- Host telemetry (issue #15): raw samples as the agents send them, kept rawRetentionHours (24), then compacted into
-- 5-minute min/avg/max rows kept rollupRetentionDays (30). Times are epoch milliseconds (the host's clock for raw
-- samples). No foreign key to host: ingest is a batch INSERT on the sync path; a deleted host's rows age out.
CREATE TABLE host_metric_raw (
    host_id    VARCHAR(36)      NOT NULL,
    project_id VARCHAR(36)      NOT NULL,
    name       VARCHAR(63)      NOT NULL,
    device     VARCHAR(63)      NOT NULL,
    at_ms      BIGINT           NOT NULL,
    val        DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (host_id, name, device, at_ms)
);
CREATE INDEX host_metric_raw_at ON host_metric_raw (at_ms);

CREATE TABLE host_metric_5m (
    host_id    VARCHAR(36)      NOT NULL,
    project_id VARCHAR(36)      NOT NULL,
    name       VARCHAR(63)      NOT NULL,
    device     VARCHAR(63)      NOT NULL,
    bucket_ms  BIGINT           NOT NULL,
    min_val    DOUBLE PRECISION NOT NULL,
    max_val    DOUBLE PRECISION NOT NULL,
    sum_val    DOUBLE PRECISION NOT NULL,
    n          INTEGER          NOT NULL,
    PRIMARY KEY (host_id, name, device, bucket_ms)
);
CREATE INDEX host_metric_5m_bucket ON host_metric_5m (bucket_ms);
