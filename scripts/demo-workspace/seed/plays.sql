-- Listening statistics (needs migration 0004).
INSERT INTO play_events (episode_id, listener_id, started_at, seconds_played, client)
SELECT e.id, u.id, e.published_at + (g * interval '9 hours'), (e.duration_seconds * (0.2 + (g % 8) / 10.0))::int,
       (ARRAY['Overcast', 'Apple Podcasts', 'Pocket Casts', 'web'])[1 + g % 4]
  FROM episodes e
  CROSS JOIN generate_series(1, 12) AS g
  JOIN users u ON u.email = CASE WHEN g % 2 = 0 THEN 'ines@listener.example' ELSE 'raj@listener.example' END
 WHERE e.status = 'published';
