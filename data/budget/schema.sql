-- The budget tracker: people record what they spend, each expense in one
-- category. Every size of the budget data set (budget, budget-variant,
-- budget-10 ... budget-10000) uses this schema.
--
-- Money is stored as whole cents in an INTEGER column: $52.50 is 5250.
-- Integers add up exactly; a REAL (binary floating point) cannot even hold
-- 0.10 exactly, and sums of many amounts drift by fractions of a cent.

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
    description  TEXT    NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    expense_date TEXT    NOT NULL -- YYYY-MM-DD
);

-- Foreign keys are not indexed automatically in SQLite. Without these, every
-- "expenses of user ?" would read the whole table.
CREATE INDEX expenses_user_id ON expenses(user_id);
CREATE INDEX expenses_category_id ON expenses(category_id);
