-- A small weight tracker.

INSERT INTO users (id, email, name, weight_unit) VALUES
    ('6f1c2a9e-4b7d-4c1a-9e3f-2d8b5a7c0e11', 'sam@example.com',  'Sam',  'lbs'),
    ('b2e4d6f8-1a3c-4e5f-8a9b-0c1d2e3f4a5b', 'ines@example.com', 'Inês', 'kg');

INSERT INTO weight_entries (id, user_id, weight, recorded_at) VALUES
    ('0d9f2b7a-6c1e-4f3a-b8d5-9e2c4a6f1b03', '6f1c2a9e-4b7d-4c1a-9e3f-2d8b5a7c0e11', 182.4, '2026-01-01'),
    ('3a7e5c1b-9d2f-4b8e-a6c4-1f3d5b7e9a25', '6f1c2a9e-4b7d-4c1a-9e3f-2d8b5a7c0e11', 181.0, '2026-01-08'),
    ('7c3b9e1d-5a4f-4d2c-9b8a-6e1f3c5d7b47', '6f1c2a9e-4b7d-4c1a-9e3f-2d8b5a7c0e11', 179.6, '2026-01-15'),
    ('e5a1c3f7-2b6d-4a9e-8c3b-5d7f1a9c3e69', 'b2e4d6f8-1a3c-4e5f-8a9b-0c1d2e3f4a5b', 64.2,  '2026-01-03'),
    ('9b2d4f6a-8c1e-4e3b-a5d7-3f9b1d5c7a81', 'b2e4d6f8-1a3c-4e5f-8a9b-0c1d2e3f4a5b', 63.8,  '2026-01-10');
