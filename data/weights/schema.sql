-- The weight tracker: users with text UUID ids, and their weight entries.
-- Entries belong to their user: ON DELETE CASCADE removes them with the user.

CREATE TABLE users (
    id    TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name  TEXT NOT NULL,
    weight_unit TEXT NOT NULL DEFAULT 'lbs' CHECK (weight_unit IN ('lbs', 'kg'))
);

CREATE TABLE weight_entries (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    weight      REAL NOT NULL,     -- a measurement, not money: REAL is fine
    recorded_at TEXT NOT NULL      -- YYYY-MM-DD
);

CREATE INDEX weight_entries_user_id ON weight_entries(user_id);
