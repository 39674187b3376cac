-- Other rows of the same shape, never shown in a lesson: other people, other
-- ids, categories in another order. As in seed.sql, the first user (Priya)
-- has expenses and others split with her, one user (Olu) has none of his own
-- but shares two, Food is in use and a category (Books) is not.

INSERT INTO users (id, email, name) VALUES
    (3,  'priya@example.net', 'Priya'),
    (5,  'tom@example.net',   'Tom'),
    (8,  'ines@example.net',  'Ines'),
    (9,  'olu@example.net',   'Olu'),
    (12, 'kai@example.net',   'Kai');

INSERT INTO categories (id, name, color) VALUES
    (2,  'Transportation', '#45B7D1'),
    (4,  'Food',           '#FF6B6B'),
    (7,  'Health',         '#FFEAA7'),
    (9,  'Entertainment',  '#4ECDC4'),
    (11, 'Books',          '#A29BFE'),
    (12, 'Utilities',      '#96CEB4');

INSERT INTO expenses (id, user_id, category_id, split_with, description, amount_cents, expense_date) VALUES
    (21,  3,  4, NULL, 'Market',    3120, '2026-02-01'),
    (22,  3,  2, 5,    'Taxi',      2400, '2026-02-02'),
    (23,  5,  4, 3,    'Dinner',    5600, '2026-02-02'),
    (24,  5,  9, NULL, 'Cinema',    1800, '2026-02-03'),
    (25,  8,  7, 9,    'Pharmacy',   990, '2026-02-04'),
    (26,  8,  4, 3,    'Bakery',     760, '2026-02-05'),
    (27, 12, 12, 9,    'Internet',  4500, '2026-02-06'),
    (28,  3,  7, NULL, 'Gym',       3500, '2026-02-07'),
    (29, 12,  4, NULL, 'Lunch',     1300, '2026-02-08'),
    (30,  3,  4, 8,    'Groceries', 6400, '2026-02-09');
