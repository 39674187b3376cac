-- The budget tracker of lesson 10 (cascades are a business decision). The
-- learner writes that lesson's schema; the checks copy these rows into the
-- learner's tables, column by column. So the foreign keys below say nothing
-- about deletes on purpose: what deleting a user or a category does is the
-- decision the lesson asks for.
--
-- split_with is an optional link: the user an expense is shared with, or
-- NULL. Money is whole cents in INTEGER columns: $52.50 is 5250.

CREATE TABLE users (
    id    INTEGER PRIMARY KEY,
    email TEXT    NOT NULL UNIQUE,
    name  TEXT    NOT NULL
);

CREATE TABLE categories (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE,
    color TEXT NOT NULL DEFAULT '#FF6B6B'
);

CREATE TABLE expenses (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    category_id  INTEGER NOT NULL REFERENCES categories(id),
    split_with   INTEGER REFERENCES users(id),
    description  TEXT    NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    expense_date TEXT    NOT NULL -- YYYY-MM-DD
);
