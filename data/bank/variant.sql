-- A second bank with the same schema and other rows, never shown in a
-- lesson. Checks run on it too, so that answers built on the ids or names a
-- lesson mentions fail. Two accounts here have two large deposits each, and
-- two accounts with large deposits have one owner's name.

INSERT INTO accounts (id, owner, email, balance_cents) VALUES
    (3,  'Mrs. Puff',   'puff@example.net',       40000),
    (5,  'Larry',       'larry@example.net',      99000),
    (8,  'Bubble Bass', 'bubblebass@example.net',    500),
    (9,  'Karen',       'karen@example.net',     300000),
    -- An email with capitals, and a deposit that lesson 6's smaller
    -- threshold reports: it is kept as it was written, so code that
    -- reports it in other letters is wrong here.
    -- His balance is Mrs. Puff's, 40000, from two deposits: accounts
    -- grouped by balance, not by id, merge the two.
    (12, 'Gary',        'Gary.Snail@example.net', 40000),
    -- Another Karen, with a large deposit too: owners are not unique, so
    -- accounts grouped by owner merge her with account 9.
    (14, 'Karen',       'karen.ng@example.net',  2500000000);

INSERT INTO activity (id, account_id, activity_type, amount_cents, created_at) VALUES
    (1,  9, 'DEP', 200000, '2026-02-01 09:00:00'),
    (2,  3, 'DEP',  90000, '2026-02-01 10:00:00'),
    (3,  5, 'DEP',  75000, '2026-02-02 11:00:00'),
    (4,  9, 'DEP', 100000, '2026-02-03 12:00:00'),
    (5,  3, 'DEP',  30000, '2026-02-04 13:00:00'),
    (6,  8, 'DEP',   4500, '2026-02-05 14:00:00'),
    (7,  5, 'DEP',  80000, '2026-02-06 15:00:00'),
    (8,  5, 'WD',   56000, '2026-02-07 16:00:00'),
    (9,  8, 'WD',    4000, '2026-02-07 17:00:00'),
    (10, 3, 'WD',   80000, '2026-02-08 18:00:00'),
    -- $25,000,000: a deposit far beyond the others, so that a range
    -- capped where the lessons' data end (BETWEEN ? AND 500000) misses it.
    (11, 14, 'DEP', 2500000000, '2026-02-09 09:30:00'),
    (12, 12, 'DEP',   6000, '2026-02-10 08:15:00'),
    (13, 12, 'DEP',  34000, '2026-02-11 08:15:00');

INSERT INTO students (id, name, email) VALUES
    (2, 'Margaret', 'margaret@example.edu'),
    (3, 'Alan',     'alan@example.edu'),
    (6, 'Katherine', 'katherine@example.edu'),
    (7, 'Dennis',   'dennis@example.edu'),
    -- Another Dennis in COMP311: a roster ordered by name alone may list
    -- the two either way; only the id decides.
    (8, 'Dennis',   'dennis.k@example.edu'),
    -- A name typed in small letters, in COMP311 with the others: in
    -- SQLite's text order capitals come first, so she is last on the
    -- roster; an order that ignores case (COLLATE NOCASE, lower()) puts her
    -- first.
    (9, 'ada',      'ada@example.edu');

INSERT INTO courses (id, code, title) VALUES
    (1, 'MATH231', 'Calculus'),
    (5, 'COMP301', 'Software Construction'),
    (6, 'COMP311', 'Computer Organization'),
    -- COMP311 in other letters, an old catalog's code: a course found by
    -- code with LIKE, COLLATE NOCASE or lower() takes its students too.
    -- The same title as COMP311's: courses grouped by title, not by id,
    -- merge the two.
    (7, 'comp311', 'Computer Organization'),
    (8, 'COMP250', 'Discrete Structures');

INSERT INTO enrollment (student_id, course_id, enrolled_at, grade) VALUES
    (2, 5, '2026-02-02', 97),
    (3, 5, '2026-02-02', 74),
    (3, 1, '2026-02-03', 85),
    (6, 1, '2026-02-03', 100),
    (6, 6, '2026-02-04', 66),
    (7, 6, '2026-02-05', NULL),
    (2, 1, '2026-02-06', 90),
    -- The same grade as Margaret's in MATH231: counting or adding only the
    -- distinct grades, count(DISTINCT e.grade), gives 3 graded, not 4.
    (7, 1, '2026-02-07', 90),
    -- The second Dennis enrolled before the first: a roster that breaks
    -- the tie on name by enrollment date, not by id, lists them the other
    -- way round.
    (8, 6, '2026-02-01', NULL),
    -- comp311's only student has no grade yet: a course with students
    -- and no grades, whose average is nil.
    (3, 7, '2026-01-15', NULL),
    -- COMP250's only grade is 0: an average of 0, not nil.
    (2, 8, '2026-01-20', 0),
    -- A grade of 0 on the roster's course: a grade, not "not graded".
    (3, 6, '2026-02-09', 0),
    (9, 6, '2026-02-10', 88);

-- The log's ids have gaps, as a log's do once rows were purged: a
-- migration that lets SQLite number the activities gives them other ids.
INSERT INTO activity_log (id, owner, owner_email, activity_type, amount_cents, created_at) VALUES
    (3,  'Karen',     'karen@example.net',  'DEP', 200000, '2026-02-01 09:00:00'),
    -- Mrs. Puff's name as it was typed, with a space at its end, in each
    -- of her rows: one spelling, kept as it is (trimmed, it is not the log).
    (4,  'Mrs. Puff ', 'puff@example.net',  'DEP',  90000, '2026-02-01 10:00:00'),
    (7,  'Larry',     'larry@example.net',  'DEP',  75000, '2026-02-02 11:00:00'),
    (8,  'Karen',     'karen@example.net',  'DEP', 100000, '2026-02-03 12:00:00'),
    (12, 'Mrs. Puff ', 'puff@example.net',  'DEP',  30000, '2026-02-04 13:00:00'),
    (13, 'Larry',     'larry@example.net',  'WD',   56000, '2026-02-07 16:00:00'),
    (15, 'Karen',     'Karen.P@example.net', 'DEP',  12000, '2026-02-08 09:30:00'),
    -- Another holder, whose email is the one above in small letters:
    -- holders told apart by email ignoring case become one.
    -- Its time as another export wrote it, with a T between date and
    -- time: a migration copies it as it is (datetime() would rewrite it).
    (19, 'Karen',     'karen.p@example.net', 'WD',    2000, '2026-02-09T10:00:00');
