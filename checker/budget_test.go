package checker

import (
	"strings"
	"testing"

	"workbook/checker/stmtlog"
)

// TestFixFor checks the fix the budget message suggests for a statement run
// once per row: the verb fits the statement, and the column is the one the
// loop varied.
func TestFixFor(t *testing.T) {
	run := func(sql string, args ...any) stmtlog.Entry {
		return stmtlog.Entry{Kind: stmtlog.KindStatement, SQL: sql, Args: args}
	}
	parent := stmtlog.Entry{Seq: 2}
	tests := []struct {
		name     string
		runs     []stmtlog.Entry
		noParent bool // the loop's list came from elsewhere than a query
		want     string
	}{
		{
			name: "select by one column",
			runs: []stmtlog.Entry{
				run(`SELECT * FROM expenses WHERE user_id = ? ORDER BY id`, 1),
				run(`SELECT * FROM expenses WHERE user_id = ? ORDER BY id`, 2),
			},
			want: "fetch them all in one statement, WHERE user_id IN (?, ?, …) with the values from statement 2\n" +
				"  (sqlx.In builds the list), or JOIN the table into the first query; then match the rows up in Go.",
		},
		{
			name: "delete where the second condition varies",
			runs: []stmtlog.Entry{
				run(`DELETE FROM expenses WHERE user_id = ? AND id = ?`, 5, 9),
				run(`DELETE FROM expenses WHERE user_id = ? AND id = ?`, 5, 10),
			},
			want: "delete them all in one statement, WHERE id IN (?, ?, …) with the values your loop\n" +
				"  went through, collected first (sqlx.In builds the list).",
		},
		{
			name: "delete in two loops: the id varies most",
			runs: []stmtlog.Entry{
				run(`DELETE FROM expenses WHERE user_id = ? AND id = ?`, 5, 9),
				run(`DELETE FROM expenses WHERE user_id = ? AND id = ?`, 5, 10),
				run(`DELETE FROM expenses WHERE user_id = ? AND id = ?`, 6, 11),
			},
			want: "delete them all in one statement, WHERE id IN (?, ?, …) with the values your loop\n" +
				"  went through, collected first (sqlx.In builds the list).",
		},
		{
			name: "update: the SET value is not the loop's column",
			runs: []stmtlog.Entry{
				run(`UPDATE enrollment SET grade = ? WHERE course_id = ? AND "student_id" = ?`, 80, 3, 1),
				run(`UPDATE enrollment SET grade = ? WHERE course_id = ? AND "student_id" = ?`, 90, 3, 4),
			},
			want: "update them all in one statement, WHERE student_id IN (?, ?, …) with the values your loop\n" +
				"  went through, collected first (sqlx.In builds the list).",
		},
		{
			name: "qualified column, no argument varies: the first WHERE column",
			runs: []stmtlog.Entry{
				run(`SELECT t.name FROM tags t WHERE t.id = ?`, 3),
				run(`SELECT t.name FROM tags t WHERE t.id = ?`, 3),
			},
			want: "fetch them all in one statement, WHERE id IN (?, ?, …) with the values from statement 2\n" +
				"  (sqlx.In builds the list), or JOIN the table into the first query; then match the rows up in Go.",
		},
		{
			name: "insert",
			runs: []stmtlog.Entry{
				run(`INSERT INTO book_tag (book_id, tag_id) VALUES (?, ?)`, 1, 2),
				run(`INSERT INTO book_tag (book_id, tag_id) VALUES (?, ?)`, 1, 3),
			},
			want: "insert them all in one statement, with one row of values each: INSERT … VALUES (?, ?), (?, ?), …",
		},
		{
			name: "delete in a loop over values the program had",
			runs: []stmtlog.Entry{
				run(`DELETE FROM book_tag WHERE book_id = ?`, 1),
				run(`DELETE FROM book_tag WHERE book_id = ?`, 2),
			},
			noParent: true,
			want: "delete them all in one statement, WHERE book_id IN (?, ?, …) with the values your loop\n" +
				"  went through, collected first (sqlx.In builds the list).",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fixFor(stmtlog.Shape(tt.runs[0].SQL), tt.runs, parent, !tt.noParent, 2)
			if got != tt.want {
				t.Errorf("fixFor:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestBatchesNamed checks that statements sent as one text of several, in
// one call, are said to be that, and not taken for an N+1 or for calls of
// the learner's function.
func TestBatchesNamed(t *testing.T) {
	del := func(seq, batch int, id int64) stmtlog.Entry {
		return stmtlog.Entry{Seq: seq, Batch: batch, Kind: stmtlog.KindStatement, SQL: "DELETE FROM expenses WHERE id = ?", Args: []any{id}}
	}
	entries := []stmtlog.Entry{
		{Seq: 1, Kind: stmtlog.KindStatement, SQL: "SELECT id FROM expenses WHERE user_id = ?", Args: []any{int64(1)}, Query: true, Rows: 3},
		del(2, 2, 7), del(3, 2, 8), del(4, 2, 9),
	}
	got := explainBudget(entries, 4, 2, "", true, 0, nil)
	for _, want := range []string{"Statements 2–4 were one text of 3 statements, sent in one call", "One call is not one statement"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in:\n%s", want, got)
		}
	}
	for _, not := range []string{"N+1", "the check called"} {
		if strings.Contains(got, not) {
			t.Errorf("%q in:\n%s", not, got)
		}
	}
}

// TestFixedBatchesAreSaid: one statement run again and again with a list of
// values each time is said to be batches of that size, not a row each.
func TestFixedBatchesAreSaid(t *testing.T) {
	var entries []stmtlog.Entry
	for i := range 3 {
		args := make([]any, 1000)
		for j := range args {
			args[j] = i*1000 + j
		}
		entries = append(entries, stmtlog.Entry{Seq: i + 2, Kind: stmtlog.KindStatement, Query: true,
			SQL: "SELECT * FROM expenses WHERE user_id IN (" + strings.TrimSuffix(strings.Repeat("?,", 1000), ",") + ")", Args: args})
	}
	notes := strings.Join(repeats(entries, &sites{}, 2), "\n")
	if !strings.Contains(notes, "Batches: statement 2 ran 3 times, each with a list of up to 1,000 values") {
		t.Errorf("notes:\n%s", notes)
	}
	if strings.Contains(notes, "one statement per row") {
		t.Errorf("batches called one statement per row:\n%s", notes)
	}
}
