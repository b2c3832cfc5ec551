-- Auto-upgrade (issue #14): a deployment may follow a semantic-version range of its application; it then runs the
-- newest signed version in it and moves when a newer one is published. NULL: pinned to version_id.
ALTER TABLE app_deployment ADD COLUMN version_range VARCHAR(128);
