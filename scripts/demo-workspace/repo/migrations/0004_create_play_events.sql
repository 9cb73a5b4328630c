-- Listening analytics: one row per play.
CREATE TABLE play_events (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    episode_id     bigint      NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    listener_id    bigint      REFERENCES users (id) ON DELETE SET NULL,
    started_at     timestamptz NOT NULL DEFAULT now(),
    seconds_played integer     NOT NULL DEFAULT 0 CHECK (seconds_played >= 0),
    client         text
);

CREATE INDEX play_events_episode_started_idx ON play_events (episode_id, started_at DESC);
