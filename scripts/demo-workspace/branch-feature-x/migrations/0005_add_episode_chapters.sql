-- Chapter markers shown by podcast players (feature/x, not merged yet).
CREATE TABLE episode_chapters (
    episode_id    bigint  NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    start_seconds integer NOT NULL CHECK (start_seconds >= 0),
    title         text    NOT NULL,
    PRIMARY KEY (episode_id, start_seconds)
);
