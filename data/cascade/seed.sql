-- The rows lesson 10 deletes. Alice has three expenses (Groceries 52.50,
-- Lunch 18.75, Gas 45.00), as in the SQLAlchemy lesson; Bob and Erin each
-- split one expense with her. Dave has no expenses of his own, but Carol
-- splits two with him. Health is a category nobody uses.

INSERT INTO users (id, email, name) VALUES
    (1, 'alice@example.com', 'Alice'),
    (2, 'bob@example.com',   'Bob'),
    (3, 'carol@example.com', 'Carol'),
    (4, 'dave@example.com',  'Dave'),
    (5, 'erin@example.com',  'Erin');

INSERT INTO categories (id, name, color) VALUES
    (1, 'Food',           '#FF6B6B'),
    (2, 'Entertainment',  '#4ECDC4'),
    (3, 'Transportation', '#45B7D1'),
    (4, 'Utilities',      '#96CEB4'),
    (5, 'Health',         '#FFEAA7');

INSERT INTO expenses (id, user_id, category_id, split_with, description, amount_cents, expense_date) VALUES
    (1,  1, 1, NULL, 'Groceries',    5250, '2026-01-03'),
    (2,  1, 1, 2,    'Lunch',        1875, '2026-01-05'),
    (3,  1, 3, NULL, 'Gas',          4500, '2026-01-06'),
    (4,  3, 4, 4,    'Electricity',  8940, '2026-01-02'),
    (5,  2, 1, NULL, 'Lunch',        2500, '2026-01-04'),
    (6,  2, 1, 1,    'Dinner',       3000, '2026-01-04'),
    (7,  2, 2, 5,    'Concert',      5000, '2026-01-09'),
    (8,  3, 1, NULL, 'Coffee beans', 1450, '2026-01-07'),
    (9,  5, 3, NULL, 'Bus pass',     6000, '2026-01-01'),
    (10, 5, 1, 1,    'Lunch',        2500, '2026-01-08'),
    (11, 3, 2, 4,    'Movie',        1200, '2026-01-10');
