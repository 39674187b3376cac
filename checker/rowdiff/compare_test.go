package rowdiff

import (
	"strings"
	"testing"
)

type expense struct {
	ID          int
	Description string
	AmountCents int64
}

type user struct {
	ID       int
	Name     string
	Expenses []expense
}

var alice = []expense{{1, "Groceries", 5250}, {2, "Lunch", 1875}, {3, "Gas", 4500}}

func TestCompare(t *testing.T) {
	tests := []struct {
		name string
		got  any
		want any
		opt  Options
		diff string // "" when equal
	}{
		{
			name: "equal",
			got:  alice, want: alice,
		},
		{
			name: "missing row",
			got:  alice[:2], want: alice,
			diff: `got 2 rows, want 3:
  missing:    {ID: 3, Description: "Gas", AmountCents: 4500}`,
		},
		{
			name: "unexpected row",
			got:  append(append([]expense{}, alice...), expense{9, "Concert", 5000}), want: alice,
			diff: `got 4 rows, want 3:
  unexpected: {ID: 9, Description: "Concert", AmountCents: 5000}`,
		},
		{
			name: "changed field",
			got:  []expense{alice[0], {2, "Lunch", 1800}, alice[2]}, want: alice,
			diff: `the same rows (by ID), but 1 of the 3 differ in their other fields:
  changed:    ID 2 (Lunch): AmountCents is 1800, want 1875`,
		},
		{
			name: "wrong order",
			got:  []expense{alice[0], alice[2], alice[1]}, want: alice,
			diff: `right rows, wrong order: at position 2, ID 3 (Gas) where ID 2 (Lunch) should be
  got  ID order: 1, 3, 2
  want ID order: 1, 2, 3`,
		},
		{
			name: "any order accepts another order",
			got:  []expense{alice[2], alice[0], alice[1]}, want: alice,
			opt: Options{Order: AnyOrder},
		},
		{
			name: "duplicate parent",
			got:  []expense{alice[0], alice[1], alice[1], alice[2]}, want: alice,
			opt: Options{Order: AnyOrder, Noun: "expense"},
			diff: `got 4 expenses, want 3:
  duplicate:  {ID: 2, Description: "Lunch", AmountCents: 1875} appears twice, want once`,
		},
		{
			name: "rows without a key are matched whole",
			got:  []string{"Food", "Travel"}, want: []string{"Food", "Transportation"},
			diff: `got the right number of rows (2), but not the right ones:
  missing:    "Transportation"
  unexpected: "Travel"`,
		},
		{
			name: "nested list",
			got:  []user{{1, "Alice", alice[:2]}, {2, "Bob", nil}},
			want: []user{{1, "Alice", alice}, {2, "Bob", []expense{}}},
			diff: `the same rows (by ID), but 1 of the 2 differ in their other fields:
  changed:    ID 1 (Alice):
    Expenses: got 2 expenses, want 3:
      missing:    {ID: 3, Description: "Gas", AmountCents: 4500}`,
		},
		{
			name: "nested order can differ from the top",
			got:  []user{{1, "Alice", []expense{alice[2], alice[0], alice[1]}}},
			want: []user{{1, "Alice", alice}},
			opt:  Options{Nested: map[string]Order{"Expenses": AnyOrder}},
		},
		{
			name: "scalar",
			got:  11625, want: 11626,
			diff: `the result is 11625, want 11626`,
		},
		{
			name: "object fields",
			got:  struct{ Total, Count int }{116, 3}, want: struct{ Total, Count int }{11625, 3},
			diff: `Total is 116, want 11625`,
		},
		{
			name: "null equals empty",
			got:  []expense(nil), want: []expense{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromGo(tt.got)
			if err != nil {
				t.Fatal(err)
			}
			want, err := FromGo(tt.want)
			if err != nil {
				t.Fatal(err)
			}
			d := Compare(got, want, tt.opt)
			switch {
			case d == nil && tt.diff != "":
				t.Errorf("Compare found no difference, want:\n%s", tt.diff)
			case d != nil && d.String() != tt.diff:
				t.Errorf("Compare =\n%s\nwant:\n%s", d, tt.diff)
			}
		})
	}
}

func TestCompareBoundsItsOutput(t *testing.T) {
	var want []expense
	for i := 1; i <= 50; i++ {
		want = append(want, expense{i, "x", int64(i)})
	}
	d := Compare(mustGo(t, nil), mustGo(t, want), Options{})
	if len(d.Lines) != 12 || !strings.Contains(d.Lines[11], "… and 40 more lines") {
		t.Errorf("diff of 51 lines was not cut to 12:\n%s", d)
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	v := mustGo(t, []user{{1, "Alice", alice}, {4, "Dave", nil}})
	data := Marshal(v)
	wantText := `[
  {"ID": 1, "Name": "Alice", "Expenses": [{"ID": 1, "Description": "Groceries", "AmountCents": 5250}, {"ID": 2, "Description": "Lunch", "AmountCents": 1875}, {"ID": 3, "Description": "Gas", "AmountCents": 4500}]},
  {"ID": 4, "Name": "Dave", "Expenses": null}
]
`
	if string(data) != wantText {
		t.Errorf("Marshal =\n%s\nwant:\n%s", data, wantText)
	}
	back, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if !Equal(back, v) {
		t.Error("Parse(Marshal(v)) differs from v")
	}
}

func TestMarshalShapes(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"empty object", map[string]int{}, "{}\n"},
		{"empty list", []int{}, "[]\n"},
		{"null", nil, "null\n"},
		{"object", struct {
			Totals map[string]int
			N      int
		}{map[string]int{}, 2}, "{\n  \"Totals\": {},\n  \"N\": 2\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(Marshal(mustGo(t, tt.v))); got != tt.want {
				t.Errorf("Marshal = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseRejectsTrailingData(t *testing.T) {
	if _, err := Parse([]byte(`[1] [2]`)); err == nil {
		t.Error("Parse accepted two values")
	}
}

func mustGo(t *testing.T, v any) any {
	t.Helper()
	out, err := FromGo(v)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCompareNamesTheSortKeyATieLeavesOpen(t *testing.T) {
	lunch := func(id int) expense { return expense{ID: id, Description: "Lunch", AmountCents: 2500} }
	meal := func(id int, d string) expense { return expense{ID: id, Description: d, AmountCents: 450} }
	users := func(order ...int) []user {
		var es []expense
		for _, id := range order {
			es = append(es, lunch(id))
		}
		return []user{{ID: 1, Name: "Alice", Expenses: es}}
	}
	tests := []struct {
		name      string
		got, want any
		opt       Options
		lines     []string
	}{
		{
			name: "a tie on the first key",
			got:  []expense{lunch(10), lunch(5)}, want: []expense{lunch(5), lunch(10)},
			opt: Options{OrderBy: map[string][]SortKey{"": {ParseSortKey("e.amount_cents DESC"), ParseSortKey("e.id")}}},
			lines: []string{
				`right rows, wrong order: at position 1, ID 10 (Lunch) where ID 5 (Lunch) should be`,
				`  your order decides e.amount_cents but not e.id:`,
				`    ID 10 (Lunch) and ID 5 (Lunch) both have e.amount_cents 2500; e.id ascending puts ID 5 (Lunch) first`,
			},
		},
		{
			name: "a key the query sent orders the other way",
			got:  []expense{lunch(10), lunch(5)}, want: []expense{lunch(5), lunch(10)},
			opt: Options{OrderBy: map[string][]SortKey{"": {ParseSortKey("e.amount_cents DESC"), ParseSortKey("e.id")}},
				Sent: []SortKey{ParseSortKey("amount_cents DESC"), ParseSortKey("e.id DESC")}},
			lines: []string{
				`right rows, wrong order: at position 1, ID 10 (Lunch) where ID 5 (Lunch) should be`,
				`  your ORDER BY has e.id descending, and the order asked for is e.id ascending:`,
				`    ID 10 (Lunch) and ID 5 (Lunch) both have e.amount_cents 2500; e.id ascending puts ID 5 (Lunch) first`,
			},
		},
		{
			name: "a key of the learner's own before the one asked for",
			got:  []expense{lunch(10), lunch(5)}, want: []expense{lunch(5), lunch(10)},
			opt: Options{OrderBy: map[string][]SortKey{"": {ParseSortKey("e.amount_cents DESC"), ParseSortKey("e.id")}},
				Sent: []SortKey{ParseSortKey("e.amount_cents DESC"), ParseSortKey("e.expense_date"), ParseSortKey("e.id")}},
			lines: []string{
				`right rows, wrong order: at position 1, ID 10 (Lunch) where ID 5 (Lunch) should be`,
				`  your ORDER BY puts e.expense_date before e.id, and the order asked for is e.amount_cents DESC, e.id:`,
				`    ID 10 (Lunch) and ID 5 (Lunch) both have e.amount_cents 2500; e.id ascending puts ID 5 (Lunch) first`,
			},
		},
		{
			name: "a key of another table's the query sent",
			got:  []expense{lunch(10), lunch(5)}, want: []expense{lunch(5), lunch(10)},
			opt: Options{OrderBy: map[string][]SortKey{"": {ParseSortKey("e.amount_cents DESC"), ParseSortKey("e.id")}},
				Sent: []SortKey{ParseSortKey("e.amount_cents DESC"), ParseSortKey("u.id DESC")}},
			lines: []string{
				`right rows, wrong order: at position 1, ID 10 (Lunch) where ID 5 (Lunch) should be`,
				`  your ORDER BY breaks the tie on e.amount_cents with u.id, and the order asked for breaks it with e.id:`,
				`    ID 10 (Lunch) and ID 5 (Lunch) both have e.amount_cents 2500; e.id ascending puts ID 5 (Lunch) first`,
			},
		},
		{
			name: "a nested list the outer key leaves open",
			got:  users(5, 4), want: users(4, 5),
			opt: Options{Noun: "user", OrderBy: map[string][]SortKey{"": {ParseSortKey("u.id")}, "Expenses": {ParseSortKey("e.id")}}},
			lines: []string{
				`the same users (by ID), but 1 of the 1 differ in their other fields:`,
				`  changed:    ID 1 (Alice):`,
				`    Expenses: right expenses, wrong order: at position 1, ID 5 (Lunch) where ID 4 (Lunch) should be`,
				`      your order decides u.id but not e.id:`,
				`        ID 5 (Lunch) and ID 4 (Lunch) belong to the same user; e.id ascending puts ID 4 (Lunch) first`,
			},
		},
		{
			name: "a nested list ordered by a column of the outer key's name",
			got:  users(5, 4), want: users(4, 5),
			opt: Options{Noun: "user", OrderBy: map[string][]SortKey{"": {ParseSortKey("id")}, "Expenses": {ParseSortKey("id")}}},
			lines: []string{
				`the same users (by ID), but 1 of the 1 differ in their other fields:`,
				`  changed:    ID 1 (Alice):`,
				`    Expenses: right expenses, wrong order: at position 1, ID 5 (Lunch) where ID 4 (Lunch) should be`,
				`      within each user, your order of Expenses does not decide id:`,
			},
		},
		{
			name: "a tie-break compared without case",
			got:  []expense{meal(1, "food"), meal(2, "Transportation")}, want: []expense{meal(2, "Transportation"), meal(1, "food")},
			opt: Options{OrderBy: map[string][]SortKey{"": {ParseSortKey("amount_cents DESC"), ParseSortKey("description")}},
				Sent: []SortKey{ParseSortKey("e.amount_cents DESC"), {Term: "c.name", FoldsCase: true}}},
			lines: []string{
				`right rows, wrong order: at position 1, ID 1 (food) where ID 2 (Transportation) should be`,
				`  your ORDER BY compares c.name without case, and the order asked for is description as stored, case and all:`,
				`    ID 1 (food) and ID 2 (Transportation) both have amount_cents 450; description ascending puts ID 2 (Transportation) first`,
			},
		},
		{
			name: "a tie-break that case decides, sorted where the query is not seen",
			got:  []expense{meal(1, "food"), meal(2, "Transportation")}, want: []expense{meal(2, "Transportation"), meal(1, "food")},
			opt: Options{OrderBy: map[string][]SortKey{"": {ParseSortKey("amount_cents DESC"), ParseSortKey("description")}}},
			lines: []string{
				`right rows, wrong order: at position 1, ID 1 (food) where ID 2 (Transportation) should be`,
				`  your order decides amount_cents but not description:`,
				`    ID 1 (food) and ID 2 (Transportation) both have amount_cents 450; description ascending puts ID 2 (Transportation) first`,
				`    SQLite compares text byte by byte (the BINARY collation), so every capital letter sorts before every small one: "Transportation" before "food"; COLLATE NOCASE or lower() in SQL, strings.ToLower or strings.EqualFold in Go, sort them the other way`,
			},
		},
		{
			name: "a key that names no field says nothing more",
			got:  []expense{lunch(10), lunch(5)}, want: []expense{lunch(5), lunch(10)},
			opt:   Options{OrderBy: map[string][]SortKey{"": {ParseSortKey("price")}}},
			lines: []string{`right rows, wrong order: at position 1, ID 10 (Lunch) where ID 5 (Lunch) should be`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Compare(mustGo(t, tt.got), mustGo(t, tt.want), tt.opt)
			if d == nil {
				t.Fatal("no difference")
			}
			for i, l := range tt.lines {
				if i >= len(d.Lines) || d.Lines[i] != l {
					t.Fatalf("difference:\n%s\nwant line %d:\n%s", d, i+1, l)
				}
			}
		})
	}
}

func TestHasOrderedList(t *testing.T) {
	two := []expense{{ID: 1}, {ID: 2}}
	for _, tt := range []struct {
		name string
		v    any
		opt  Options
		want bool
	}{
		{"an ordered list", two, Options{}, true},
		{"one row", two[:1], Options{}, false},
		{"in any order", two, Options{Order: AnyOrder}, false},
		{"a nested list in order", []user{{ID: 1, Expenses: two}}, Options{}, true},
		{"a nested list in any order", []user{{ID: 1, Expenses: two}}, Options{Nested: map[string]Order{"Expenses": AnyOrder}}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := HasOrderedList(mustGo(t, tt.v), tt.opt); got != tt.want {
				t.Errorf("HasOrderedList = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestMergedRowsAreExplained checks that a missing row that shares a name
// with a row the result has (two users merged by their name) is explained,
// and that a missing row sharing nothing is not.
func TestMergedRowsAreExplained(t *testing.T) {
	want := mustParse(t, `[{"ID": 3, "Name": "Lucia Rossi"}, {"ID": 4, "Name": "Lucia Rossi"}, {"ID": 5, "Name": "Leo"}]`)
	// The merged row holds user 4's expense too.
	want = mustParse(t, `[{"ID": 3, "Name": "Lucia Rossi", "Spent": 10}, {"ID": 4, "Name": "Lucia Rossi", "Spent": 5}, {"ID": 5, "Name": "Leo", "Spent": 1}]`)
	merged := mustParse(t, `[{"ID": 3, "Name": "Lucia Rossi", "Spent": 15}, {"ID": 5, "Name": "Leo", "Spent": 1}]`)
	d := Compare(merged, want, Options{Noun: "user"})
	if d == nil || !strings.Contains(d.String(), `ID 3 (Lucia Rossi) and ID 4 (Lucia Rossi) have the same Name, "Lucia Rossi": your result holds one row where`) ||
		!strings.Contains(d.String(), "or start a new one, by ID, not by Name.") {
		t.Errorf("merged rows:\n%v", d)
	}
	dropped := mustParse(t, `[{"ID": 3, "Name": "Lucia Rossi", "Spent": 10}, {"ID": 4, "Name": "Lucia Rossi", "Spent": 5}]`)
	if d := Compare(dropped, want, Options{Noun: "user"}); d == nil || strings.Contains(d.String(), "have the same") {
		t.Errorf("a row missing that shares nothing:\n%v", d)
	}
	// A row left out by a condition, beside an unchanged row of the same
	// name, was not merged into it.
	filtered := mustParse(t, `[{"ID": 3, "Name": "Lucia Rossi", "Spent": 10}, {"ID": 5, "Name": "Leo", "Spent": 1}]`)
	if d := Compare(filtered, want, Options{Noun: "user"}); d == nil || strings.Contains(d.String(), "have the same") {
		t.Errorf("a row filtered out:\n%v", d)
	}
}

func mustParse(t *testing.T, s string) any {
	t.Helper()
	v, err := Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestRowsOfOneKeyPairByValue proves that rows sharing a key are paired
// with the expected row they equal, wherever it is among them: the same
// rows the other way round pass in any order, and are out of order (not
// changed) in order.
func TestRowsOfOneKeyPairByValue(t *testing.T) {
	got := mustParse(t, `[{"UserID": 1, "Category": "Rent", "Total": 900}, {"UserID": 1, "Category": "Food", "Total": 40}, {"UserID": 2, "Category": "Food", "Total": 5}]`)
	want := mustParse(t, `[{"UserID": 1, "Category": "Food", "Total": 40}, {"UserID": 1, "Category": "Rent", "Total": 900}, {"UserID": 2, "Category": "Food", "Total": 5}]`)
	if d := Compare(got, want, Options{Order: AnyOrder, Key: "UserID"}); d != nil {
		t.Errorf("in any order: a difference:\n%s", d)
	}
	d := Compare(got, want, Options{Key: "UserID"})
	if d == nil || !strings.HasPrefix(d.Lines[0], "right rows, wrong order") {
		t.Errorf("in order: want the rows out of order, got:\n%s", d)
	}
	changed := mustParse(t, `[{"UserID": 1, "Category": "Rent", "Total": 901}, {"UserID": 1, "Category": "Food", "Total": 40}, {"UserID": 2, "Category": "Food", "Total": 5}]`)
	d = Compare(changed, want, Options{Order: AnyOrder, Key: "UserID"})
	if d == nil || !strings.Contains(d.String(), "Total is 901, want 900") {
		t.Errorf("one row changed: want it paired with its own, got:\n%s", d)
	}
}

func TestOtherCapitalsAreSaid(t *testing.T) {
	got := mustParse(t, `{"ID": 1, "Email": "wen@example.net"}`)
	want := mustParse(t, `{"ID": 1, "Email": "Wen@example.net"}`)
	if d := Compare(got, want, Options{}); d == nil || !strings.HasSuffix(d.Lines[0], ": "+OtherCapitals) {
		t.Errorf("want a line ending in %q, got:\n%s", OtherCapitals, d)
	}
	other := mustParse(t, `{"ID": 1, "Email": "wen@example.org"}`)
	if d := Compare(other, want, Options{}); d == nil || strings.Contains(d.String(), OtherCapitals) {
		t.Errorf("another text: want no %q, got:\n%s", OtherCapitals, d)
	}
}

// TestOneKeyInEveryRow: rows that all hold one key, where want has many,
// are said to be that, and the key that repeats is not written as a row
// that repeats.
func TestOneKeyInEveryRow(t *testing.T) {
	got := mustParse(t, `[{"ID": 2, "Name": "award winner"}, {"ID": 2, "Name": "classic"}, {"ID": 2, "Name": "science fiction"}]`)
	want := mustParse(t, `[{"ID": 4, "Name": "award winner"}, {"ID": 3, "Name": "classic"}, {"ID": 2, "Name": "science fiction"}]`)
	d := Compare(got, want, Options{Key: "ID", Noun: "tag"})
	if d == nil {
		t.Fatal("no difference")
	}
	for _, w := range []string{"every row has ID 2, where 3 different are wanted", "duplicate:  ID 2 appears 3 times, want once, in rows that differ"} {
		if !strings.Contains(d.String(), w) {
			t.Errorf("no %q in:\n%s", w, d)
		}
	}
}

// TestExtraRowOfOneKeyIsNotChanged: a wanted row, and beside it another row
// of its key from elsewhere, is said to be a repeat of the key, not a
// change of the wanted row.
func TestExtraRowOfOneKeyIsNotChanged(t *testing.T) {
	got := mustParse(t, `[{"StudentID": 3, "EnrolledAt": "2026-01-15"}, {"StudentID": 3, "EnrolledAt": "2026-02-09"}]`)
	want := mustParse(t, `[{"StudentID": 3, "EnrolledAt": "2026-02-09"}]`)
	d := Compare(got, want, Options{Key: "StudentID", Noun: "student"})
	if d == nil || strings.Contains(d.String(), "changed") || !strings.Contains(d.String(), "StudentID 3 appears twice") {
		t.Errorf("got:\n%s", d)
	}
}
