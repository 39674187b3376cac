package checker

import (
	"reflect"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"
)

func TestNearMisses(t *testing.T) {
	got := NearMisses("Food")
	// Food with its first letter's case swapped is food, already there.
	want := []string{"FOOD", "food", " Food ", "Food ", " Food", "xFood", "Foodx", "Foo", "ood", "Fo%d", "Fo_d", "Fo*d", "Fo?d"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("NearMisses(%q) = %q, want %q", "Food", got, want)
	}
	for _, s := range []string{"", "a", "wen@example.net", "Tomás", "aBc", "Fantasy", "COMP311"} {
		for _, m := range NearMisses(s) {
			if m == s || m == "" {
				t.Errorf("NearMisses(%q) holds %q", s, m)
			}
		}
		if n := len(NearMisses(s)); n > NearMissBudget {
			t.Errorf("NearMisses(%q) returns %d texts, more than NearMissBudget (%d)", s, n, NearMissBudget)
		}
	}
}

func TestCaseFoldedOrder(t *testing.T) {
	for _, tt := range []struct {
		keys []string
		want bool
	}{
		{[]string{"Fantasy", "award winner"}, false}, // SQLite's order
		{[]string{"award winner", "Fantasy"}, true},  // ignoring case
		{[]string{"b", "a"}, false},                  // neither
	} {
		if got := CaseFoldedOrder("tags", "t.name", tt.keys) != ""; got != tt.want {
			t.Errorf("CaseFoldedOrder(%q) explains: %v, want %v", tt.keys, got, tt.want)
		}
	}
}

// TestNearMissNamesWhereTheValueChanged proves that a lookup which finds a
// near miss's rows says where the match went loose: in Go, when the value
// the query was sent is not the one asked for, or in the SQL.
func TestNearMissNamesWhereTheValueChanged(t *testing.T) {
	for _, tt := range []struct {
		name   string
		lookup func(db *sqlx.DB, name string) ([]expense, error)
		want   string
	}{
		{"trimmed in Go", func(db *sqlx.DB, name string) ([]expense, error) {
			return byName("c.name = ?")(db, strings.TrimSpace(name))
		}, `Your code sent "Food" to the database, not " Food "`},
		{"folded in Go", func(db *sqlx.DB, name string) ([]expense, error) {
			return byName("lower(c.name) = ?")(db, strings.ToLower(name))
		}, `Your code sent "food" to the database, not "FOOD"`},
		{"trimmed in SQL", byName("c.name = ltrim(?)"), "Your query matches it loosely"},
		{"folded in SQL", byName("c.name = ? COLLATE NOCASE"), "Your query matches it loosely"},
		{"filtered in a LEFT JOIN's ON", func(db *sqlx.DB, name string) ([]expense, error) {
			var out []expense
			err := db.Select(&out, `SELECT e.id, e.description, e.amount_cents, u.name AS owner
				FROM expenses e JOIN users u ON u.id = e.user_id
				LEFT JOIN categories c ON c.id = e.category_id AND c.name = ?`, name)
			return out, err
		}, "Statement 1 has c.name = ? in the ON of a LEFT JOIN"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := testConfig(t).run(Check{Name: "near", Data: []string{"budget"}, Budget: 20}, nearMissBody(tt.lookup))
			if v.Passed() || !strings.Contains(describe(v), tt.want) {
				t.Errorf("want a failure containing %q, got:\n%s", tt.want, describe(v))
			}
		})
	}
}
