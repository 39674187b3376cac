-- A second budget data set with the same schema and other rows. The lessons
-- never show it: checks run on it too, so that an answer copied from a
-- lesson's text, or built on the ids it mentions, fails. Category ids are in
-- another order than in seed.sql on purpose.
--
-- Lena's Books (Textbook and Atlas), Food Delivery and Utilities come to the
-- same total.

INSERT INTO users (id, email, name) VALUES
    (1, 'wen@example.net',   'Wen'),
    (2, 'kofi@example.net',  'Kofi'),
    -- Priya has no expenses at all. Her email holds an underscore, as
    -- real emails may: code that refuses an email with a LIKE wildcard in
    -- it (_ or %) without asking the database does not find her.
    (3, 'priya_k@example.net', 'Priya'),
    (4, 'tomas@example.net', 'Tomás'),
    (5, 'lena@example.net',  'Lena'),
    (6, 'omar@example.net',  'Omar'),
    -- Another person, whose email is Wen's in other letters: an answer
    -- that finds a user by email ignoring case (LIKE, COLLATE NOCASE,
    -- lower()) adds Wen Zhao's expenses to Wen's.
    -- Her id and her expenses' are far beyond the other rows', as ids
    -- are in a database that has lived: a query capped at the ids the
    -- lessons' data reach (user_id <= 1000, e.id < 4000) leaves her out.
    (100007, 'Wen@example.net',   'Wen Zhao'),
    -- Another Priya, who has spent: looked up by name, Priya (id 3), who
    -- has not, gets this one's expense.
    (8, 'priya.r@example.net', 'Priya');

INSERT INTO categories (id, name, color) VALUES
    (1, 'Utilities',      '#96CEB4'),
    (2, 'Fast Food',      '#F39C12'),
    (3, 'Transportation', '#45B7D1'),
    (4, 'Food',           '#FF6B6B'),
    (5, 'Entertainment',  '#4ECDC4'),
    (6, 'Books',          '#A29BFE'),
    -- Food's colour, the default: categories grouped by colour, not by
    -- id, merge Food Delivery into Food.
    (7, 'Food Delivery',  '#FF6B6B'),
    -- Another category whose name is Food's in other letters: a lookup by
    -- name that ignores case (COLLATE NOCASE, lower(), LIKE) takes it too.
    (8, 'food',           '#FFB3B3'),
    -- A category nobody has spent in: its expenses are none, not one row
    -- of NULLs.
    (9, 'Gifts',          '#FAB1A0');

INSERT INTO expenses (id, user_id, category_id, description, amount_cents, expense_date) VALUES
    (1,  4, 4, 'Market',        3310, '2026-02-01'),
    -- A description with a comma and a bar in it, as people type them:
    -- rows packed into one string (group_concat) and split in Go fall apart.
    (2,  2, 3, 'Train ticket, return | coach 3', 2890, '2026-02-01'),
    (3,  5, 4, 'Bakery',         640, '2026-02-02'),
    (4,  1, 5, 'Theatre',       4200, '2026-02-03'),
    (5,  4, 2, 'Fries',          395, '2026-02-03'),
    (6,  6, 4, 'Groceries',     7125, '2026-02-04'),
    (7,  2, 4, 'Lunch',         1299, '2026-02-05'),
    (8,  5, 1, 'Water bill',    4410, '2026-02-05'),
    (9,  1, 4, 'Lunch',         1299, '2026-02-06'),
    (10, 6, 6, 'Novel',         1850, '2026-02-07'),
    (11, 4, 4, 'Farmers market', 980, '2026-02-08'),
    (12, 2, 5, 'Cinema',        1100, '2026-02-08'),
    (13, 6, 4, 'Picnic',        2205, '2026-02-09'),
    (14, 5, 3, 'Taxi',          3675, '2026-02-10'),
    (15, 1, 7, 'Noodles',       1640, '2026-02-11'),
    (16, 5, 6, 'Textbook',      3160, '2026-02-12'),
    (17, 5, 6, 'Atlas',         1250, '2026-02-13'),
    (18, 5, 7, 'Meal kit',      4410, '2026-02-14'),
    -- Food at 3310 like Market: by id, Market first; by owner, by
    -- description or by date, Deli first. Only the tie-break lesson 4 asks
    -- for passes.
    (19, 6, 4, 'Deli',          3310, '2026-01-30'),
    -- Wen's Noodles twice, at the same amount: a total that adds only the
    -- distinct amounts, sum(DISTINCT e.amount_cents), gives 1640, not 3280.
    (20, 1, 7, 'Noodles',       1640, '2026-02-15'),
    -- Tomás's second Market in Food: one owner, one description, two
    -- expenses, which a GROUP BY of description and owner makes one.
    (21, 4, 4, 'Market',        1210, '2026-02-16'),
    (22, 4, 8, 'Snacks',         450, '2026-02-16'),
    -- Wen Zhao's, and the second Priya's.
    (500023, 100007, 4, 'Ramen',  1450, '2026-02-17'),
    (500024, 100007, 5, 'Museum', 1800, '2026-02-18'),
    (25, 8, 3, 'Bus pass',      2600, '2026-02-18'),
    -- A total over 1,000,000 cents: total(), a float, scans into an int64
    -- only while it prints without an exponent.
    (26, 1, 6, 'Laptop',     1250000, '2026-02-19'),
    -- The second Priya's other expense, dated before her Bus pass though
    -- its id is higher: her expenses in date order are not in id order.
    (27, 8, 4, 'Market stall',   900, '2026-01-10'),
    -- Omar's second Picnic in Food, at the same amount: two expenses that
    -- differ only in id and date, which a GROUP BY of description, amount
    -- and owner makes one.
    (28, 6, 4, 'Picnic',        2205, '2026-02-21'),
    -- Wen spends in seven categories: a report that keeps a user's first
    -- six loses one.
    (29, 1, 3, 'Bus',            300, '2026-02-22'),
    (30, 1, 1, 'Phone bill',    2500, '2026-02-23'),
    (31, 1, 2, 'Burger',         650, '2026-02-24'),
    -- The second Priya's third expense: by id her expenses go 2600, 900,
    -- 1700, so no order by amount, description, date or category is her
    -- id order by luck. Its description holds a semicolon, another
    -- separator rows packed into one string are split at.
    (32, 8, 2, 'Burger stand; fries', 1700, '2026-02-25'),
    -- Tomás's Tram ties his Snacks in food at 450: by name in SQLite's
    -- text order Transportation comes first (capitals before small
    -- letters); an order that ignores case (COLLATE NOCASE, lower())
    -- puts food first.
    (33, 4, 3, 'Tram',            450, '2026-02-26'),
    -- Kofi's Sandwich is within a dollar of Market's 1210 and has the
    -- higher id: an order by whole dollars (amount_cents / 100) with the id
    -- tie-break puts Market first; by cents, Sandwich comes first.
    (34, 2, 4, 'Sandwich',       1280, '2026-02-27'),
    -- An expense typed without a description: '' is a description, not
    -- "no expense". Code that takes an empty description (or a
    -- COALESCE(e.description, '')) for a LEFT JOIN's NULL row loses it.
    (35, 6, 4, '',               1500, '2026-02-28');
