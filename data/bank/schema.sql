-- The bank: accounts and their activity (deposits and withdrawals), students
-- enrolled in courses, and an activity log exported the way a spreadsheet
-- would keep it. bank and bank-variant use this schema.
--
-- Money is whole cents in INTEGER columns: a deposit of $500 is 50000.

CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    owner         TEXT    NOT NULL,
    email         TEXT    NOT NULL UNIQUE,
    balance_cents INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE activity (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id),
    activity_type TEXT    NOT NULL CHECK (activity_type IN ('DEP', 'WD')),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents > 0),
    created_at    TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX activity_account_id ON activity(account_id);

CREATE TABLE students (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE
);

CREATE TABLE courses (
    id    INTEGER PRIMARY KEY,
    code  TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL
);

-- A many-to-many link with data of its own: when the student enrolled, and
-- the grade (0 to 100) once there is one.
CREATE TABLE enrollment (
    student_id  INTEGER NOT NULL REFERENCES students(id),
    course_id   INTEGER NOT NULL REFERENCES courses(id),
    enrolled_at TEXT    NOT NULL,
    grade       INTEGER CHECK (grade BETWEEN 0 AND 100),
    PRIMARY KEY (student_id, course_id)
);

CREATE INDEX enrollment_course_id ON enrollment(course_id);

-- Denormalized on purpose: the owner's name and email are repeated on every
-- row, as in an export. The normalization lesson moves this into accounts and
-- activity.
CREATE TABLE activity_log (
    id            INTEGER PRIMARY KEY,
    owner         TEXT    NOT NULL,
    owner_email   TEXT    NOT NULL,
    activity_type TEXT    NOT NULL,
    amount_cents  INTEGER NOT NULL,
    created_at    TEXT    NOT NULL
);
