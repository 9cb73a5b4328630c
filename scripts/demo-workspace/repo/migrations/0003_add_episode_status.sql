-- Editorial workflow: an explicit status instead of "published_at IS NOT NULL".
CREATE TYPE episode_status AS ENUM ('draft', 'scheduled', 'published', 'archived');

ALTER TABLE episodes
    ADD COLUMN status episode_status NOT NULL DEFAULT 'draft';

UPDATE episodes SET status = 'published' WHERE published_at IS NOT NULL;

-- Keep updated_at honest without relying on every code path to set it.
CREATE FUNCTION touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER episodes_touch_updated_at
    BEFORE UPDATE ON episodes
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- What the public RSS feed reads.
CREATE VIEW published_episodes AS
SELECT e.id, s.slug AS show_slug, e.number, e.title, e.audio_url,
       e.duration_seconds, e.published_at
  FROM episodes e
  JOIN shows s ON s.id = e.show_id
 WHERE e.status = 'published';
