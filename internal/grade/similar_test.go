package grade

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"workbook/internal/lesson"
)

// The reference solution of lesson 4, and what students made of it.
const (
	shippedSrc = `package joinfilter

import (
	"errors"

	"github.com/jmoiron/sqlx"
)

// CategoryExpense is one expense in a category.
type CategoryExpense struct {
	ID          int64  ` + "`db:\"id\"`" + `
	Description string ` + "`db:\"description\"`" + `
	AmountCents int64  ` + "`db:\"amount_cents\"`" + `
	Owner       string ` + "`db:\"owner\"`" + `
}

func ExpensesInCategory(db *sqlx.DB, category string) ([]CategoryExpense, error) {
	// TODO: write it.
	return nil, errors.New("not written yet")
}
`
	originalSrc = `package joinfilter

import (
	"github.com/jmoiron/sqlx"
)

// CategoryExpense is one expense in a category.
type CategoryExpense struct {
	ID          int64  ` + "`db:\"id\"`" + `
	Description string ` + "`db:\"description\"`" + `
	AmountCents int64  ` + "`db:\"amount_cents\"`" + `
	Owner       string ` + "`db:\"owner\"`" + `
}

func ExpensesInCategory(db *sqlx.DB, category string) ([]CategoryExpense, error) {
	var out []CategoryExpense
	err := db.Select(&out, ` + "`" + `
		SELECT e.id, e.description, e.amount_cents, u.name AS owner
		FROM expenses e
		JOIN categories c ON c.id = e.category_id
		JOIN users u ON u.id = e.user_id
		WHERE c.name = ?
		ORDER BY e.amount_cents DESC, e.id` + "`" + `, category)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Owner = strings.TrimSpace(out[i].Owner)
	}
	return out, nil
}
`
	// The same, with every name changed, other comments, other layout
	// and the query in capitals on fewer lines.
	renamedSrc = `package joinfilter

import (
	"github.com/jmoiron/sqlx"
)

// CategoryExpense: my struct.
type CategoryExpense struct {
	ID int64 ` + "`db:\"id\"`" + `
	Description string ` + "`db:\"description\"`" + `
	AmountCents int64 ` + "`db:\"amount_cents\"`" + `
	Owner string ` + "`db:\"owner\"`" + `
}

/* I wrote this myself. */
func ExpensesInCategory(conn *sqlx.DB, cat string) ([]CategoryExpense, error) {
	var rows []CategoryExpense
	e2 := conn.Select(&rows, "SELECT E.ID, E.DESCRIPTION, E.AMOUNT_CENTS, U.NAME AS OWNER FROM EXPENSES E " +
		"JOIN CATEGORIES C ON C.ID = E.CATEGORY_ID JOIN USERS U ON U.ID = E.USER_ID WHERE C.NAME = ? ORDER BY E.AMOUNT_CENTS DESC, E.ID", cat)
	if e2 != nil { return nil, e2 }
	for k := range rows { rows[k].Owner = strings.TrimSpace(rows[k].Owner) }
	return rows, nil
}
`
	// Another student's own answer: the same task, written another way.
	independentSrc = `package joinfilter

import (
	"github.com/jmoiron/sqlx"
)

// CategoryExpense is one expense in a category.
type CategoryExpense struct {
	ID          int64  ` + "`db:\"id\"`" + `
	Description string ` + "`db:\"description\"`" + `
	AmountCents int64  ` + "`db:\"amount_cents\"`" + `
	Owner       string ` + "`db:\"owner\"`" + `
}

const byCategory = ` + "`" + `
SELECT expenses.id, expenses.description, expenses.amount_cents, users.name AS owner
FROM categories
INNER JOIN expenses ON expenses.category_id = categories.id
INNER JOIN users ON expenses.user_id = users.id
WHERE categories.name = $1
ORDER BY expenses.amount_cents DESC, expenses.id ASC` + "`" + `

func ExpensesInCategory(db *sqlx.DB, category string) ([]CategoryExpense, error) {
	rows, err := db.Queryx(byCategory, category)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	result := []CategoryExpense{}
	for rows.Next() {
		var ce CategoryExpense
		if err := rows.StructScan(&ce); err != nil {
			return nil, err
		}
		result = append(result, ce)
	}
	return result, rows.Err()
}
`
)

func TestSimilarity(t *testing.T) {
	base, _ := fingerprints(map[string][]byte{"expenses.go": []byte(shippedSrc)})
	fp := func(src string) map[uint64]bool {
		f, _ := fingerprints(map[string][]byte{"expenses.go": []byte(src)})
		return own(f, base)
	}
	for _, tc := range []struct {
		name     string
		a, b     string
		min, max float64
	}{
		{"a renamed-variable copy", originalSrc, renamedSrc, 0.9, 1},
		{"the same file", originalSrc, originalSrc, 1, 1},
		{"independent solutions", originalSrc, independentSrc, 0, 0.5},
		{"a copy against an independent solution", renamedSrc, independentSrc, 0, 0.5},
		{"the shipped file twice", shippedSrc, shippedSrc, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := similarity(fp(tc.a), fp(tc.b))
			t.Logf("similarity %.2f", got)
			if got < tc.min || got > tc.max {
				t.Errorf("similarity = %.2f, want from %.2f to %.2f", got, tc.min, tc.max)
			}
		})
	}
}

func TestTokensIgnoreLayoutAndNames(t *testing.T) {
	a := tokens([]byte("package p\n// a comment\nfunc f(x int) int { return x + 1 }\n"))
	b := tokens([]byte("package p\n\n/* other */ func g(\n\ty int,\n) int {\n\treturn y + 1\n}\n"))
	if strings.Join(a, " ") != strings.Join(b, " ") {
		t.Errorf("tokens differ:\n%q\n%q", a, b)
	}
}

// TestFindSimilar lists and flags the copy, not the independent solution,
// not the students who left the shipped file, and calls identical files so.
func TestFindSimilar(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"go.mod":                                 "module example.com/wb\n\ngo 1.25\n",
		"lessons/04-join-filter/lesson.json":     `{"number": 4, "name": "join-filter", "title": "Join", "files": ["expenses.go"], "checks": [{"name": "one"}], "hints": ["h"]}`,
		"lessons/04-join-filter/expenses.go":     shippedSrc,
		"lessons/04-join-filter/check_test.go":   "package joinfilter\n",
		"_shipped/04-join-filter/expenses.go":    shippedSrc,
		"lessons/04-join-filter/expected/x.json": "[]\n",
	})
	ls, err := lesson.LoadAll(root)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "_shipped")); err != nil {
		t.Fatal(err)
	}
	g := &grader{lessons: ls, scheme: &Scheme{Default: DefaultWeight}}
	class := &Class{}
	var units []*unit
	add := func(src string, unchanged bool, names ...string) {
		u := &unit{lesson: "04-join-filter", files: map[string][]byte{"expenses.go": []byte(src)}, unchanged: unchanged}
		for _, n := range names {
			st := &Student{Name: n}
			class.Students = append(class.Students, st)
			u.students = append(u.students, st)
		}
		units = append(units, u)
	}
	add(originalSrc, false, "ana")
	add(renamedSrc, false, "ben")
	add(independentSrc, false, "cat")
	add(originalSrc, false, "dan", "eve")
	add(shippedSrc, true, "fay", "gus")
	g.findSimilar(class, units)
	var got []string
	for _, s := range class.Similar {
		got = append(got, s.A+"~"+s.B)
	}
	want := "dan~eve ana~ben ana~dan ana~eve ben~dan ben~eve"
	if strings.Join(got, " ") != want {
		t.Errorf("pairs = %s, want %s", strings.Join(got, " "), want)
	}
	if !class.Similar[0].Identical || class.Similar[1].Identical {
		t.Errorf("dan and eve's files are the same, ana and ben's are not: %+v", class.Similar)
	}
	for _, st := range class.Students {
		n := 0
		for _, f := range st.Flags {
			if f.Kind == FlagSimilar {
				n++
			}
		}
		want := map[string]int{"ana": 3, "ben": 3, "dan": 3, "eve": 3}[st.Name]
		if n != want {
			t.Errorf("%s has %d similarity flags, want %d: %v", st.Name, n, want, st.Flags)
		}
	}
}

// TestFindSimilarLeavesOutTheReference: students who all handed in the
// reference solution, or what it holds under other names, are not listed:
// every student can read it with `workbook solution`.
func TestFindSimilarLeavesOutTheReference(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"go.mod":                               "module example.com/wb\n\ngo 1.25\n",
		"lessons/04-join-filter/lesson.json":   `{"number": 4, "name": "join-filter", "title": "Join", "files": ["expenses.go"], "checks": [{"name": "one"}], "hints": ["h"]}`,
		"lessons/04-join-filter/expenses.go":   shippedSrc,
		"lessons/04-join-filter/check_test.go": "package joinfilter\n",
		"solutions/04-join-filter/expenses.go": originalSrc,
	})
	ls, err := lesson.LoadAll(root)
	if err != nil {
		t.Fatal(err)
	}
	g := &grader{lessons: ls, scheme: &Scheme{Default: DefaultWeight}}
	class := &Class{}
	var units []*unit
	for _, tc := range []struct {
		src   string
		names []string
	}{{originalSrc, []string{"ana", "ben"}}, {renamedSrc, []string{"cat"}}, {independentSrc, []string{"dan"}}} {
		u := &unit{lesson: "04-join-filter", files: map[string][]byte{"expenses.go": []byte(tc.src)}}
		for _, n := range tc.names {
			st := &Student{Name: n}
			class.Students = append(class.Students, st)
			u.students = append(u.students, st)
		}
		units = append(units, u)
	}
	g.findSimilar(class, units)
	if len(class.Similar) != 0 {
		t.Errorf("pairs %+v, want none", class.Similar)
	}
}
