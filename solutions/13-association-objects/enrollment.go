// Package associationobjects is the reference solution of lesson 13.
package associationobjects

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"
)

// Enrollment is a student's place in a course: the link between the two,
// with its own data.
type Enrollment struct {
	StudentID  int64  `db:"student_id"`
	CourseID   int64  `db:"course_id"`
	EnrolledAt string `db:"enrolled_at"` // YYYY-MM-DD
	Grade      *int64 `db:"grade"`       // 0 to 100; nil until graded (NULL)
}

// AlreadyEnrolledError is the error Enroll returns for a student who is
// already enrolled in the course.
type AlreadyEnrolledError struct {
	StudentID, CourseID int64
	Err                 error // SQLite's refusal of the row, as it reported it
}

func (e *AlreadyEnrolledError) Error() string {
	return fmt.Sprintf("student %d is already enrolled in course %d", e.StudentID, e.CourseID)
}

func (e *AlreadyEnrolledError) Unwrap() error { return e.Err }

// RosterEntry is one student on a course's roster, with the data of their
// enrollment.
type RosterEntry struct {
	StudentID  int64  `db:"student_id"`
	Name       string `db:"name"`
	EnrolledAt string `db:"enrolled_at"`
	Grade      *int64 `db:"grade"` // nil: not graded yet
}

// CourseAverage is a course's enrollment figures.
type CourseAverage struct {
	Code     string `db:"code"`
	Title    string `db:"title"`
	Enrolled int64  `db:"enrolled"` // students enrolled, graded or not
	Graded   int64  `db:"graded"`   // of those, the ones with a grade
	// Average is the mean of the grades, exact: 254/3 stays 254/3, where
	// a float64 holds only something close to it. nil when no one has a
	// grade.
	Average *big.Rat `db:"-"`
}

// Enroll writes the enrollment e, in one statement. A student who is already
// enrolled in the course gets an *AlreadyEnrolledError, and the enrollment
// that was there stays as it was. Any other refusal (no such student or
// course, a grade out of range) goes back as it is.
//
// The pair (student_id, course_id) is the table's primary key, so SQLite
// refuses the second enrollment itself, with the extended code
// SQLITE_CONSTRAINT_PRIMARYKEY; a foreign key or CHECK refusal has its own.
func Enroll(db *sqlx.DB, e Enrollment) error {
	_, err := db.Exec(`INSERT INTO enrollment (student_id, course_id, enrolled_at, grade) VALUES (?, ?, ?, ?)`,
		e.StudentID, e.CourseID, e.EnrolledAt, e.Grade)
	var sqliteErr sqlite3.Error
	if errors.As(err, &sqliteErr) && sqliteErr.ExtendedCode == sqlite3.ErrConstraintPrimaryKey {
		return &AlreadyEnrolledError{StudentID: e.StudentID, CourseID: e.CourseID, Err: err}
	}
	return err
}

// Roster returns the students enrolled in the course with the given code,
// by name, each with the date they enrolled and their grade, in one
// statement. A course with no students, or no such course, gives an empty
// list and no error.
func Roster(db *sqlx.DB, code string) ([]RosterEntry, error) {
	var out []RosterEntry
	err := db.Select(&out, `
		SELECT s.id AS student_id, s.name, e.enrolled_at, e.grade
		FROM courses c
		JOIN enrollment e ON e.course_id = c.id
		JOIN students s ON s.id = e.student_id
		WHERE c.code = ?
		ORDER BY s.name, s.id`, code)
	return out, err
}

// CourseAverages returns every course, by code, with how many students are
// enrolled, how many have a grade, and the exact average of those grades,
// in one statement.
//
// The database counts and sums in integers; Go divides, as a fraction.
// count(e.grade) and sum(e.grade) skip NULL grades, as avg does; count of a
// column (not count(*)) gives 0 for a course the LEFT JOIN found no one in;
// and sum of no values is NULL, hence coalesce.
func CourseAverages(db *sqlx.DB) ([]CourseAverage, error) {
	var rows []struct {
		CourseAverage
		GradeSum int64 `db:"grade_sum"`
	}
	err := db.Select(&rows, `
		SELECT c.code, c.title,
		       count(e.student_id)      AS enrolled,
		       count(e.grade)           AS graded,
		       coalesce(sum(e.grade), 0) AS grade_sum
		FROM courses c
		LEFT JOIN enrollment e ON e.course_id = c.id
		GROUP BY c.id
		ORDER BY c.code`)
	if err != nil {
		return nil, fmt.Errorf("averaging the grades: %w", err)
	}
	out := make([]CourseAverage, len(rows))
	for i, r := range rows {
		out[i] = r.CourseAverage
		if r.Graded > 0 {
			out[i].Average = big.NewRat(r.GradeSum, r.Graded)
		}
	}
	return out, nil
}
