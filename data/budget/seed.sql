-- The budget data the lessons talk about. Alice's and Bob's figures are the
-- ones the SQLAlchemy lessons print: Alice spent 116.25 in all (Food 71.25,
-- Transportation 45.00); Bob spent Food 55.00 and Entertainment 50.00.
-- Frank's Entertainment, Health (18.00 + 14.00) and Utilities come to the
-- same total, 32.00, so that an order by total alone leaves their order to
-- chance.

INSERT INTO users (id, email, name) VALUES
    (1, 'alice@example.com', 'Alice'),
    (2, 'bob@example.com',   'Bob'),
    (3, 'carol@example.com', 'Carol'),
    (4, 'dave@example.com',  'Dave'),   -- has no expenses at all
    (5, 'erin@example.com',  'Erin'),
    (6, 'frank@example.com', 'Frank');  -- three categories, one total

INSERT INTO categories (id, name, color) VALUES
    (1, 'Food',           '#FF6B6B'),
    (2, 'Entertainment',  '#4ECDC4'),
    (3, 'Transportation', '#45B7D1'),
    (4, 'Utilities',      '#96CEB4'),
    (5, 'Health',         '#FFEAA7'),
    (6, 'Fast Food',      '#F39C12');

INSERT INTO expenses (id, user_id, category_id, description, amount_cents, expense_date) VALUES
    (1,  1, 1, 'Groceries',    5250, '2026-01-03'),
    (2,  1, 1, 'Lunch',        1875, '2026-01-05'),
    (3,  1, 3, 'Gas',          4500, '2026-01-06'),
    (4,  3, 4, 'Electricity',  8940, '2026-01-02'),
    (5,  2, 1, 'Lunch',        2500, '2026-01-04'),
    (6,  2, 1, 'Dinner',       3000, '2026-01-04'),
    (7,  2, 2, 'Concert',      5000, '2026-01-09'),
    (8,  3, 1, 'Coffee beans', 1450, '2026-01-07'),
    (9,  5, 3, 'Bus pass',     6000, '2026-01-01'),
    -- Lunch at 2500 like expense 5, and dated before it: a tie-break by
    -- date puts it first; only the id tie-break lesson 4 asks for passes.
    (10, 5, 1, 'Lunch',        2500, '2026-01-02'),
    (11, 3, 2, 'Movie',        1200, '2026-01-10'),
    (12, 5, 6, 'Burger',       1150, '2026-01-08'),
    (13, 6, 4, 'Water bill',   3200, '2026-01-11'),
    (14, 6, 5, 'Pharmacy',     1800, '2026-01-12'),
    (15, 6, 2, 'Board game',   3200, '2026-01-13'),
    (16, 6, 5, 'Dentist',      1400, '2026-01-14');
