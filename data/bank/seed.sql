-- The bank the lessons talk about. Activity 1 to 5 are the rows of the
-- COMP423 reading's figure: SpongeBob deposits 500, withdraws 100, deposits
-- 50; Squidward deposits 250 and withdraws 30; Patrick has no activity.
-- Mr. Krabs has two deposits of at least 750, so a join from accounts to
-- activity returns him twice.

INSERT INTO accounts (id, owner, email, balance_cents) VALUES
    (1, 'SpongeBob', 'spongebob@example.org', 45000),
    (2, 'Squidward', 'squidward@example.org', 22000),
    (3, 'Patrick',   'patrick@example.org',       0),
    (4, 'Mr. Krabs', 'krabs@example.org',    150000),
    (5, 'Pearl',     'pearl@example.org',     75000),
    (6, 'Plankton',  'plankton@example.org',   8900);

INSERT INTO activity (id, account_id, activity_type, amount_cents, created_at) VALUES
    (1,  1, 'DEP',  50000, '2026-01-05 09:00:00'),
    (2,  1, 'WD',   10000, '2026-01-06 12:30:00'),
    (3,  1, 'DEP',   5000, '2026-01-09 17:45:00'),
    (4,  2, 'DEP',  25000, '2026-01-05 10:15:00'),
    (5,  2, 'WD',    3000, '2026-01-07 08:20:00'),
    (6,  4, 'DEP', 100000, '2026-01-02 08:00:00'),
    (7,  4, 'DEP',  80000, '2026-01-16 08:00:00'),
    (8,  4, 'WD',   30000, '2026-01-20 11:00:00'),
    (9,  5, 'DEP',  75000, '2026-01-11 14:00:00'),
    (10, 6, 'DEP',  74900, '2026-01-03 23:59:00'),
    (11, 6, 'DEP',  10000, '2026-01-04 00:01:00'),
    (12, 6, 'WD',   76000, '2026-01-04 00:02:00');

-- Enrollments carry data of their own. Averages of the graded ones: COMP110
-- 254/3 (84.666..., which no float holds exactly), COMP210 177/2 = 88.5,
-- COMP423 178/2 = 89 (Linus has no grade yet, and is not a zero), COMP550
-- none (nobody enrolled).
INSERT INTO students (id, name, email) VALUES
    (1, 'Ada',     'ada@example.edu'),
    (2, 'Grace',   'grace@example.edu'),
    (3, 'Linus',   'linus@example.edu'),
    (4, 'Barbara', 'barbara@example.edu'),
    (5, 'Edsger',  'edsger@example.edu'),   -- not enrolled anywhere
    (6, 'Frances', 'frances@example.edu');

INSERT INTO courses (id, code, title) VALUES
    (1, 'COMP110', 'Introduction to Programming'),
    (2, 'COMP210', 'Data Structures'),
    (3, 'COMP423', 'Foundations of Software Engineering'),
    (4, 'COMP550', 'Algorithms');           -- nobody enrolled

INSERT INTO enrollment (student_id, course_id, enrolled_at, grade) VALUES
    (1, 1, '2026-01-08', 91),
    (1, 3, '2026-01-08', 88),
    (2, 1, '2026-01-09', 78),
    (2, 2, '2026-01-09', 95),
    (3, 2, '2026-01-10', 82),
    (3, 3, '2026-01-10', NULL),
    (4, 3, '2026-01-12', 90),
    (6, 1, '2026-01-14', 85);

INSERT INTO activity_log (id, owner, owner_email, activity_type, amount_cents, created_at) VALUES
    (1, 'SpongeBob', 'spongebob@example.org', 'DEP', 50000, '2026-01-05 09:00:00'),
    (2, 'SpongeBob', 'spongebob@example.org', 'WD',  10000, '2026-01-06 12:30:00'),
    (3, 'SpongeBob', 'spongebob@example.org', 'DEP',  5000, '2026-01-09 17:45:00'),
    (4, 'Squidward', 'squidward@example.org', 'DEP', 25000, '2026-01-05 10:15:00'),
    (5, 'Squidward', 'squidward@example.org', 'WD',   3000, '2026-01-07 08:20:00'),
    (6, 'Mr. Krabs', 'krabs@example.org',     'DEP', 100000, '2026-01-02 08:00:00'),
    (7, 'Mr. Krabs', 'krabs@example.org',     'DEP', 80000, '2026-01-16 08:00:00'),
    (8, 'Pearl',     'pearl@example.org',     'DEP', 75000, '2026-01-11 14:00:00'),
    -- Two customers called Patrick: names are not unique, emails are.
    (9,  'Patrick',  'patrick@example.org',   'DEP',  2000, '2026-01-12 10:00:00'),
    (10, 'Patrick',  'patrick.b@example.org', 'DEP',  1500, '2026-01-13 16:30:00');
