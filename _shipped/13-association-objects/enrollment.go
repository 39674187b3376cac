// Package associationobjects is lesson 13 of the workbook: a many-to-many
// link that carries data of its own, the enrollment of a student in a
// course.
//
// This is your file: make Enroll refuse a second enrollment clearly, write
// Roster and CourseAverages, then run
//
//	go run ./cmd/workbook run 13
package associationobjects

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/jmoiron/sqlx"
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
// TODO: as written, a second enrollment comes back as SQLite's error, which
// callers cannot tell from any other. Return an *AlreadyEnrolledError.
func Enroll(db *sqlx.DB, e Enrollment) error {
	_, err := db.Exec(`INSERT INTO enrollment (student_id, course_id, enrolled_at, grade) VALUES (?, ?, ?, ?)`,
		e.StudentID, e.CourseID, e.EnrolledAt, e.Grade)
	return err
}

// Roster returns the students enrolled in the course with the given code,
// by name, each with the date they enrolled and their grade, in one
// statement. A course with no students, or no such course, gives an empty
// list and no error.
func Roster(db *sqlx.DB, code string) ([]RosterEntry, error) {
	return nil, errors.New("not written yet: join enrollment to students (and courses, for the code), by name")
}

// CourseAverages returns every course, by code, with how many students are
// enrolled, how many have a grade, and the exact average of those grades,
// in one statement.
func CourseAverages(db *sqlx.DB) ([]CourseAverage, error) {
	return nil, errors.New("not written yet: count and sum the grades of each course in SQL, then divide with big.NewRat")
}
