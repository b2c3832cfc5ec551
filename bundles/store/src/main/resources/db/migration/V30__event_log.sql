-- One stream of what happens in a project (org.edgeorch.store.event): host status changes, onboarding, update
-- runs, rollouts and waves, application deployments, releases. A domain appends its event in the transaction
-- that makes the change, so an event is never recorded for a change that rolled back, nor lost for one that
-- committed. The id orders the stream and is the Server-Sent Events id clients resume from (Last-Event-ID).
-- No reference to project: events outlive what they tell of; retention (org.edgeorch.observability) deletes them.
CREATE TABLE event_log (
    id          BIGINT        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id  VARCHAR(36),
    occurred_at TIMESTAMP     NOT NULL,
    type        VARCHAR(40)   NOT NULL,
    subject     VARCHAR(255)  NOT NULL,
    status      VARCHAR(32),
    previous    VARCHAR(32),
    message     VARCHAR(1000),
    attributes  VARCHAR(4000)
);
CREATE INDEX event_log_project ON event_log (project_id, id);
CREATE INDEX event_log_time ON event_log (occurred_at);
