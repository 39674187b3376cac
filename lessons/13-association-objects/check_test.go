package associationobjects_test

import (
	"cmp"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/mattn/go-sqlite3"

	"workbook/checker"
	associationobjects "workbook/lessons/13-association-objects"
)

var data = []string{"bank", "bank-variant"}

// enrolled is an enrollment as the table holds it, with names for messages.
type enrolled struct {
	StudentID  int64  `db:"student_id"`
	CourseID   int64  `db:"course_id"`
	Name       string `db:"name"`
	Code       string `db:"code"`
	EnrolledAt string `db:"enrolled_at"`
	Grade      *int64 `db:"grade"`
}

func (e enrolled) where() string {
	return fmt.Sprintf("student_id = %d AND course_id = %d", e.StudentID, e.CourseID)
}

func gradeText(g *int64) string {
	if g == nil {
		return "NULL"
	}
	return fmt.Sprint(*g)
}

func enrollCall(e associationobjects.Enrollment) string {
	grade := "nil"
	if e.Grade != nil {
		grade = fmt.Sprintf("grade(%d)", *e.Grade)
	}
	return fmt.Sprintf("Enroll(db, Enrollment{StudentID: %d, CourseID: %d, EnrolledAt: %q, Grade: %s})",
		e.StudentID, e.CourseID, e.EnrolledAt, grade)
}

func grade(g int64) *int64 { return &g }

// lookup returns the enrollments query selects (student_id, course_id,
// name, code, enrolled_at, grade), stopping the check if there are none.
func lookup(c *checker.C, query string, args ...any) []enrolled {
	var out []enrolled
	c.Query(&out, query, args...)
	if len(out) == 0 {
		c.Fatalf("checker: no enrollment for %s", query)
	}
	return out
}

const enrolledRows = `SELECT e.student_id, e.course_id, s.name, c.code, e.enrolled_at, e.grade
	FROM enrollment e JOIN students s ON s.id = e.student_id JOIN courses c ON c.id = e.course_id`

// notEnrolled returns pairs of a student and a course that are not yet an
// enrollment: the first by ids, and the last.
func notEnrolled(c *checker.C) (first, last enrolled) {
	const pairs = `SELECT s.id AS student_id, c.id AS course_id, s.name, c.code, '' AS enrolled_at, NULL AS grade
		FROM students s, courses c
		WHERE NOT EXISTS (SELECT 1 FROM enrollment WHERE student_id = s.id AND course_id = c.id)`
	return lookup(c, pairs+` ORDER BY s.id, c.id LIMIT 1`)[0], lookup(c, pairs+` ORDER BY s.id DESC, c.id DESC LIMIT 1`)[0]
}

func TestEnrollTwice(t *testing.T) {
	checker.Run(t, checker.Check{Name: "enroll-twice", Data: data, Budget: 1, Writes: true}, func(c *checker.C) {
		was := lookup(c, enrolledRows+` WHERE e.grade IS NOT NULL ORDER BY e.student_id, e.course_id LIMIT 1`)[0]
		before := c.Snapshot()
		again := associationobjects.Enrollment{StudentID: was.StudentID, CourseID: was.CourseID, EnrolledAt: "2026-03-02"}
		call := enrollCall(again)
		err := associationobjects.Enroll(c.DB(), again)
		var already *associationobjects.AlreadyEnrolledError
		if c.ErrorAs(err, &already, call) {
			if already.StudentID != was.StudentID || already.CourseID != was.CourseID {
				c.Errorf("%s returned an *AlreadyEnrolledError for student %d and course %d; it should name\n"+
					"student %d and course %d, the enrollment that was refused.",
					call, already.StudentID, already.CourseID, was.StudentID, was.CourseID)
			}
			var se sqlite3.Error
			switch {
			case errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey && !c.FromSQLite(err):
				skipped := c.SkippedWrite()
				if skipped != "" {
					skipped = "\n" + skipped
				}
				c.Errorf("%s\nreturned an *AlreadyEnrolledError holding a sqlite3.Error that no statement of yours got\n"+
					"from SQLite: your code made it.%s\n"+
					"Let the INSERT fail (a plain INSERT, no OR IGNORE or ON CONFLICT DO NOTHING), and put the\n"+
					"error SQLite returns in Err.", call, skipped)
			case !errors.As(err, &se) || se.ExtendedCode != sqlite3.ErrConstraintPrimaryKey || !c.FromSQLite(err):
				c.Errorf("errors.As finds no sqlite3.Error with ExtendedCode sqlite3.ErrConstraintPrimaryKey in what\n"+
					"%s returned. The *AlreadyEnrolledError should hold SQLite's refusal in Err, and its Unwrap\n"+
					"return it, so that nothing about the failure is lost.", call)
			}
		}
		now := lookup(c, enrolledRows+` WHERE e.student_id = ? AND e.course_id = ?`, was.StudentID, was.CourseID)[0]
		if now.EnrolledAt != was.EnrolledAt || gradeText(now.Grade) != gradeText(was.Grade) {
			c.Errorf("%s overwrote %s's enrollment in %s: enrolled_at %s became %s, and grade %s became %s.\n"+
				"An enrollment carries data of its own, and a second enrollment must not replace it: INSERT OR\n"+
				"REPLACE (or ON CONFLICT DO UPDATE) wipes the grade. Let the INSERT fail, and tell the caller why.",
				call, was.Name, was.Code, was.EnrolledAt, now.EnrolledAt, gradeText(was.Grade), gradeText(now.Grade))
		}
		c.ExpectChanges(before, checker.Changes{})
	})
}

func TestEnroll(t *testing.T) {
	checker.Run(t, checker.Check{Name: "enroll", Data: data, Budget: 2, Writes: true}, func(c *checker.C) {
		first, last := notEnrolled(c)
		before := c.Snapshot()
		fresh := associationobjects.Enrollment{StudentID: first.StudentID, CourseID: first.CourseID, EnrolledAt: "2026-03-02"}
		c.NoError(associationobjects.Enroll(c.DB(), fresh), enrollCall(fresh))
		transfer := associationobjects.Enrollment{StudentID: last.StudentID, CourseID: last.CourseID, EnrolledAt: "2026-03-03", Grade: grade(77)}
		c.NoError(associationobjects.Enroll(c.DB(), transfer), enrollCall(transfer))
		c.ExpectChanges(before, checker.Changes{
			"enrollment": {Added: 2, AddedWhere: fmt.Sprintf(
				"(%s AND enrolled_at = '2026-03-02' AND grade IS NULL) OR (%s AND enrolled_at = '2026-03-03' AND grade = 77)",
				first.where(), last.where())},
		})
	})
}

func TestOtherErrorsPassThrough(t *testing.T) {
	checker.Run(t, checker.Check{Name: "other-errors-pass-through", Data: data, Budget: 2, Writes: true}, func(c *checker.C) {
		first, _ := notEnrolled(c)
		var ids []int64
		c.Query(&ids, `SELECT max(id) + 1 FROM students`)
		before := c.Snapshot()
		for _, tc := range []struct {
			e   associationobjects.Enrollment
			why string
		}{
			{associationobjects.Enrollment{StudentID: ids[0], CourseID: first.CourseID, EnrolledAt: "2026-03-02"},
				fmt.Sprintf("there is no student %d", ids[0])},
			{associationobjects.Enrollment{StudentID: first.StudentID, CourseID: first.CourseID, EnrolledAt: "2026-03-02", Grade: grade(101)},
				"a grade of 101 is out of range (CHECK (grade BETWEEN 0 AND 100))"},
		} {
			call := enrollCall(tc.e)
			err := associationobjects.Enroll(c.DB(), tc.e)
			// What SQLite did with the row: skipped it without an error
			// (OR IGNORE), or refused it, in its own words.
			did := c.SkippedWrite()
			if did == "" {
				if said := c.SQLiteError(err); said != "" {
					did = "SQLite refused the row: " + said + "."
				}
			}
			var already *associationobjects.AlreadyEnrolledError
			switch {
			case err == nil:
				c.Errorf("%s returned no error, but %s.\n%s", call, tc.why, cmp.Or(did, "SQLite accepted the row."))
			case errors.As(err, &already):
				c.Errorf("%s returned an *AlreadyEnrolledError,\n"+
					"but the student is not enrolled in the course: %s.\n%s"+
					"Report a second enrollment only for the primary key's refusal (sqlite3.ErrConstraintPrimaryKey);\n"+
					"return any other error as it is.", call, tc.why, paragraph(did))
			case !c.FromSQLite(err):
				c.Errorf("%s returned %v\n"+
					"which is not the error SQLite reported when it refused the row (%s). Return that error as\n"+
					"it is, or wrapped with %%w, so that callers can inspect it with errors.As: a new error, one\n"+
					"made by hand, or one wrapped with %%v loses it.", call, err, tc.why)
			}
		}
		c.ExpectChanges(before, checker.Changes{})
	})
}

func TestRoster(t *testing.T) {
	// Three calls, one statement each: a course with students, one that
	// does not exist, and (where the data has one) one nobody is enrolled in.
	checker.Run(t, checker.Check{Name: "roster", Data: data, Budget: 3}, func(c *checker.C) {
		var codes []string
		c.Query(&codes, `SELECT c.code FROM courses c JOIN enrollment e ON e.course_id = c.id
			WHERE e.grade IS NULL ORDER BY c.code LIMIT 1`)
		got, err := associationobjects.Roster(c.DB(), codes[0])
		c.NoError(err, fmt.Sprintf("Roster(db, %q)", codes[0]))
		c.Expect(got, checker.Ordered, checker.OrderBy("s.name", "student_id"), checker.Noun("student"), checker.Key("StudentID"))
		if why := otherCourses(c, codes[0], got); why != "" {
			c.Errorf("%s", why)
		} else {
			names := make([]string, len(got))
			for i, r := range got {
				names[i] = r.Name
			}
			if why := checker.CaseFoldedOrder("students", "s.name", names); why != "" {
				c.Errorf("Roster(db, %q): %s", codes[0], why)
			}
		}

		got, err = associationobjects.Roster(c.DB(), "ART101")
		c.NoError(err, `Roster(db, "ART101"), a course that does not exist`)
		c.Expect(got, checker.Named("unknown-course"), checker.Noun("student"), checker.Key("StudentID"))

		var empty []string
		c.Query(&empty, `SELECT code FROM courses c WHERE NOT EXISTS (SELECT 1 FROM enrollment WHERE course_id = c.id) ORDER BY code LIMIT 1`)
		if len(empty) > 0 {
			got, err = associationobjects.Roster(c.DB(), empty[0])
			c.NoError(err, fmt.Sprintf(`Roster(db, %q), a course nobody is enrolled in`, empty[0]))
			c.Expect(got, checker.Named("empty-course"), checker.Noun("student"), checker.Key("StudentID"))
		}
	})
}

func TestAverages(t *testing.T) {
	checker.Run(t, checker.Check{Name: "averages", Data: data, Budget: 1}, func(c *checker.C) {
		got, err := associationobjects.CourseAverages(c.DB())
		c.NoError(err, "CourseAverages(db)")
		var floats []string
		for _, a := range got {
			// A float64 is a fraction whose denominator is a power of
			// two; a mean of whole grades over a few students is not.
			if a.Average != nil && a.Average.Denom().BitLen() > 16 && a.Average.Denom().TrailingZeroBits()+1 == uint(a.Average.Denom().BitLen()) {
				floats = append(floats, fmt.Sprintf("%s: %s", a.Code, a.Average.RatString()))
			}
		}
		if len(floats) > 0 {
			c.Errorf("CourseAverages(db) returned averages that came from a float64:\n    %s\n"+
				"A denominator that is a power of two is how a float64 looks as a fraction: the average was\n"+
				"rounded to binary before it reached big.Rat. Take the sum and the count of the grades from\n"+
				"SQL as integers, and make the fraction from them: big.NewRat(sum, count).",
				strings.Join(floats, "\n    "))
		}
		explainCounts(c, got)
		c.Expect(got, checker.Ordered, checker.OrderBy("c.code"), checker.Noun("course"), checker.Key("Code"))
		codes := make([]string, len(got))
		for i, a := range got {
			codes[i] = a.Code
		}
		if why := checker.CaseFoldedOrder("courses", "c.code", codes); why != "" {
			c.Errorf("CourseAverages(db): %s", why)
		}
	})
}

// explainCounts compares got with the figures the enrollment table gives,
// course by course, and names the two classic mistakes: count(*) over a
// LEFT JOIN, and ungraded enrollments counted as zeros.
func explainCounts(c *checker.C, got []associationobjects.CourseAverage) {
	var figures []struct {
		Code     string `db:"code"`
		Enrolled int64  `db:"enrolled"`
		Graded   int64  `db:"graded"`
		Sum      int64  `db:"grade_sum"`
	}
	c.Query(&figures, `SELECT c.code, count(e.student_id) AS enrolled, count(e.grade) AS graded,
		coalesce(sum(e.grade), 0) AS grade_sum FROM courses c LEFT JOIN enrollment e ON e.course_id = c.id
		GROUP BY c.id ORDER BY c.code`)
	byCode := map[string]associationobjects.CourseAverage{}
	for _, a := range got {
		byCode[a.Code] = a
	}
	for _, f := range figures {
		a, ok := byCode[f.Code]
		if !ok {
			continue
		}
		if f.Enrolled == 0 && a.Enrolled == 1 {
			c.Errorf("CourseAverages(db) says 1 student is enrolled in %s, which has none. A LEFT JOIN keeps the\n"+
				"course as one row with NULL in every enrollment column, and count(*) counts that row: count a\n"+
				"column of enrollment instead, count(e.student_id), which skips the NULL.", f.Code)
		}
		if f.Enrolled > f.Graded && f.Graded > 0 && a.Average != nil && a.Average.Cmp(big.NewRat(f.Sum, f.Enrolled)) == 0 {
			c.Errorf("CourseAverages(db) gives %s an average of %s: the sum of its grades over all %d enrolled\n"+
				"students, as if the %d without a grade had scored 0. An ungraded enrollment is not a zero: divide\n"+
				"by count(e.grade), which skips NULL grades as avg(e.grade) does. The average is %s.",
				f.Code, a.Average.RatString(), f.Enrolled, f.Enrolled-f.Graded, big.NewRat(f.Sum, f.Graded).RatString())
		}
	}
}

// otherCourses explains rows of a roster that are enrollments of other
// courses than the one whose code is code: the code compared loosely
// (COLLATE NOCASE, lower(), LIKE) matched another course's too. It names
// the other codes, and says when one is code in other letters. It returns
// "" when every row is an enrollment of the course.
func otherCourses(c *checker.C, code string, got []associationobjects.RosterEntry) string {
	var rows []enrolled
	c.Query(&rows, enrolledRows+` ORDER BY c.code, e.student_id`)
	var others []string
	var examples []string
	for _, r := range got {
		mine, elsewhere := false, ""
		for _, e := range rows {
			if e.StudentID != r.StudentID || e.EnrolledAt != r.EnrolledAt || gradeText(e.Grade) != gradeText(r.Grade) {
				continue
			}
			if e.Code == code {
				mine = true
			} else if elsewhere == "" {
				elsewhere = e.Code
			}
		}
		if mine || elsewhere == "" {
			continue
		}
		if !slices.Contains(others, elsewhere) {
			others = append(others, elsewhere)
		}
		examples = append(examples, fmt.Sprintf("%s (enrolled %s) is in %s", r.Name, r.EnrolledAt, elsewhere))
	}
	if len(others) == 0 {
		return ""
	}
	how := "Your query matched the code loosely."
	for _, o := range others {
		if strings.EqualFold(o, code) {
			how = fmt.Sprintf("%q is %q in other letters: your query matched the code ignoring case (COLLATE\n"+
				"NOCASE, lower() or LIKE all do), so it took that course's students too.", o, code)
			break
		}
	}
	twice := ""
	seen := map[int64]bool{}
	for _, r := range got {
		if seen[r.StudentID] {
			twice = "\nA student enrolled in both courses then appears twice."
		}
		seen[r.StudentID] = true
	}
	return fmt.Sprintf("Roster(db, %q) returned enrollments of another course: %s.\n"+
		"%s%s\nCompare with c.code = ?, which matches the code exactly as it is stored.",
		code, strings.Join(examples, "; "), how, twice)
}

// paragraph ends a non-empty paragraph with a newline, for a message that
// may or may not have it.
func paragraph(s string) string {
	if s == "" {
		return ""
	}
	return s + "\n"
}

// Codes close to the roster's course's that no course has: each gives no
// students.
func TestNearMisses(t *testing.T) {
	checker.Run(t, checker.Check{Name: "near-misses", Data: data, Budget: checker.NearMissBudget}, func(c *checker.C) {
		var codes []string
		c.Query(&codes, `SELECT c.code FROM courses c JOIN enrollment e ON e.course_id = c.id
			WHERE e.grade IS NULL ORDER BY c.code LIMIT 1`)
		course := checker.Lookup{Value: codes[0], Table: "courses", Column: "code", Compared: "c.code", Absent: "no course has the code"}
		c.ExpectNoNearMisses(course, func(code string) (string, string) {
			call := fmt.Sprintf("Roster(db, %q)", code)
			got, err := associationobjects.Roster(c.DB(), code)
			c.NoError(err, call)
			if len(got) == 0 {
				return call, ""
			}
			return call, fmt.Sprintf("%d students (the first, %s)", len(got), got[0].Name)
		})
	})
}
