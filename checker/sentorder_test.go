package checker

import (
	"reflect"
	"testing"

	"workbook/checker/rowdiff"
)

func TestOrderByTerms(t *testing.T) {
	k := func(term string, desc bool) rowdiff.SortKey { return rowdiff.SortKey{Term: term, Desc: desc} }
	for _, tt := range []struct {
		sql  string
		want []rowdiff.SortKey
	}{
		{"SELECT id FROM expenses", nil},
		{"SELECT id FROM expenses ORDER BY e.amount_cents DESC, e.id DESC", []rowdiff.SortKey{k("e.amount_cents", true), k("e.id", true)}},
		{"select id from expenses order by amount_cents desc nulls last, id asc limit 10", []rowdiff.SortKey{k("amount_cents", true), k("id", false)}},
		{`SELECT * FROM (SELECT id FROM t ORDER BY id DESC) ORDER BY "name" COLLATE NOCASE, t.id;`, []rowdiff.SortKey{{Term: "name", FoldsCase: true}, k("t.id", false)}},
		{"SELECT id FROM t ORDER BY t.user_id, lower(c.name) DESC, c.id COLLATE BINARY", []rowdiff.SortKey{k("t.user_id", false), {Term: "c.name", Desc: true, FoldsCase: true}, k("c.id", false)}},
		{"SELECT 'order by x desc' FROM t ORDER BY 2 DESC, sum(x) DESC, id", []rowdiff.SortKey{k("id", false)}},
		{"SELECT group_concat(x ORDER BY y DESC) FROM t", nil},
		{"SELECT id FROM t ORDER BY 1", []rowdiff.SortKey{}},
		{"SELECT id FROM t -- ORDER BY id DESC\n ORDER BY id", []rowdiff.SortKey{k("id", false)}},
	} {
		if got := orderByTerms(tt.sql); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("orderByTerms(%q) = %v, want %v", tt.sql, got, tt.want)
		}
	}
}
