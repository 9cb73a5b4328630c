-- A hand-made change on prod during an incident, never written as a migration (drift).
ALTER TABLE episodes ADD COLUMN hotfix_note text;
COMMENT ON COLUMN episodes.hotfix_note IS 'temporary: why an episode was pulled (INC-2291)';
CREATE INDEX CONCURRENTLY episodes_status_idx ON episodes (status) WHERE status <> 'archived';
