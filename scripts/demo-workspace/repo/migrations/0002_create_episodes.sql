-- Shows and their episodes.
CREATE TABLE shows (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id   bigint      NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    slug       text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$'),
    title      text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE episodes (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    show_id          bigint      NOT NULL REFERENCES shows (id) ON DELETE CASCADE,
    number           integer     NOT NULL CHECK (number > 0),
    title            text        NOT NULL,
    audio_url        text,
    duration_seconds integer     CHECK (duration_seconds > 0),
    published_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (show_id, number)
);

-- The feed query: newest published episodes of one show.
CREATE INDEX episodes_show_published_idx ON episodes (show_id, published_at DESC);
