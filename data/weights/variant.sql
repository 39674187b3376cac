-- Other weight tracker rows, never shown in a lesson. The traps: Nora's
-- and Adam's entries interleave in time, and were recorded out of date
-- order; Mei has no entries; Lars has the newest entry of anyone; and the
-- users were added in neither the order of their emails nor its reverse.

INSERT INTO users (id, email, name, weight_unit) VALUES
    ('c41d7e2a-9f3b-4a6c-8d1e-5b2f7a9c3e60', 'nora@example.org', 'Nora', 'kg'),
    ('1e8b3f5d-7a2c-4d9e-b6f1-3c5a8e2d7b94', 'adam@example.org', 'Adam', 'lbs'),
    ('f7a29c4e-3d1b-4e8f-a2c6-9b4d1f7e5a38', 'mei@example.org',  'Mei',  'kg'),
    ('5b3e9a1c-6f4d-4b2a-9e7c-1d8f3a5b2c06', 'lars@example.org', 'Lars', 'lbs');

INSERT INTO weight_entries (id, user_id, weight, recorded_at) VALUES
    ('8a6c2e4f-1b3d-4f5a-8c7e-9d1b3f5a7c20', 'c41d7e2a-9f3b-4a6c-8d1e-5b2f7a9c3e60', 71.4, '2026-02-01'),
    ('2d4f6a8c-3e5b-4a7d-9f1c-5e7a9c1e3b42', '1e8b3f5d-7a2c-4d9e-b6f1-3c5a8e2d7b94', 201.6, '2026-02-09'),
    ('e1c3a5f7-9b2d-4c6e-a8f1-7b9d2f4a6c84', 'c41d7e2a-9f3b-4a6c-8d1e-5b2f7a9c3e60', 70.9, '2026-02-05'),
    ('6f8b1d3e-5a7c-4e9b-b2d4-1f3b5d7e9a16', '1e8b3f5d-7a2c-4d9e-b6f1-3c5a8e2d7b94', 203.2, '2026-02-02'),
    ('b9d1f3a5-7c2e-4a4b-8e6d-3a5c7e9b1d58', 'c41d7e2a-9f3b-4a6c-8d1e-5b2f7a9c3e60', 71.8, '2026-01-28'),
    ('4c6e8a1b-2d3f-4b5c-9a7e-8f1d3b5c7e90', '1e8b3f5d-7a2c-4d9e-b6f1-3c5a8e2d7b94', 202.0, '2026-02-06'),
    ('a3b5c7d9-e1f2-4a3b-8c4d-5e6f7a8b9c01', '5b3e9a1c-6f4d-4b2a-9e7c-1d8f3a5b2c06', 176.2, '2026-02-10');
