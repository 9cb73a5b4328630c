-- A little data for every environment (needs migrations 0001-0003).
INSERT INTO users (email, display_name, is_host) VALUES
    ('maya@podcast.example',  'Maya Okafor',   true),
    ('tom@podcast.example',   'Tom Lindqvist', true),
    ('ines@listener.example', 'Inês Duarte',   false),
    ('raj@listener.example',  'Raj Mehta',     false);

INSERT INTO shows (owner_id, slug, title)
SELECT id, 'schema-drift', 'Schema Drift' FROM users WHERE email = 'maya@podcast.example'
UNION ALL
SELECT id, 'small-batch-ops', 'Small Batch Ops' FROM users WHERE email = 'tom@podcast.example';

INSERT INTO episodes (show_id, number, title, audio_url, duration_seconds, published_at, status)
SELECT s.id, e.number, e.title, e.audio_url, e.duration_seconds, e.published_at, e.status::episode_status
  FROM shows s
  JOIN (VALUES
    ('schema-drift',    1, 'Migrations are a team sport',      'https://cdn.podcast.example/sd/001.mp3', 2710, now() - interval '60 days', 'published'),
    ('schema-drift',    2, 'Who ran ALTER TABLE in prod?',     'https://cdn.podcast.example/sd/002.mp3', 3185, now() - interval '45 days', 'published'),
    ('schema-drift',    3, 'Baselines and stamps',             'https://cdn.podcast.example/sd/003.mp3', 2460, now() - interval '30 days', 'published'),
    ('schema-drift',    4, 'Branching databases like code',    NULL,                                      NULL, now() + interval '7 days',  'scheduled'),
    ('small-batch-ops', 1, 'PgBouncer without tears',          'https://cdn.podcast.example/sbo/001.mp3', 1985, now() - interval '20 days', 'published'),
    ('small-batch-ops', 2, 'Twelve factors, three environments', NULL,                                    NULL, NULL,                       'draft')
  ) AS e(slug, number, title, audio_url, duration_seconds, published_at, status) ON e.slug = s.slug;
