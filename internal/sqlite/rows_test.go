package sqlite

import (
	"context"
	"reflect"
	"testing"
)

func TestReadKeyedRows(t *testing.T) {
	conn := testConn(t)
	tests := []struct {
		name          string
		schema, table string
		keyCols, cols []string
		keys          []string
		first         []any
	}{
		{"an integer primary key", "main", "users", []string{"id"}, []string{"id", "email", "name"}, []string{"[1]"},
			[]any{int64(1), "a@example.com", "Ann"}},
		{"a key of two columns, in the key's order", "main", "order items", []string{"line", "order_id"},
			[]string{"order_id", "line", "user_id", "qty"}, []string{"[1,7]", "[2,7]"}, []any{int64(7), int64(1), int64(1), int64(2)}},
		{"no primary key: the rowid", "main", "sqlitelike", nil, []string{"x"}, nil, nil},
		{"without rowid, attached", attached, "users", []string{"id"}, []string{"id", "nickname"}, nil, nil},
		{"attached, quoted", attached, "posts", []string{"id"}, []string{"id", "user_id"}, []string{"[1]"}, []any{int64(1), "nobody"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ReadKeyedRows(context.Background(), conn, tt.schema, tt.table)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(r.KeyColumns, tt.keyCols) || !reflect.DeepEqual(r.Columns, tt.cols) || !reflect.DeepEqual(r.Keys, tt.keys) {
				t.Errorf("key %q, columns %q, keys %q; want %q, %q, %q", r.KeyColumns, r.Columns, r.Keys, tt.keyCols, tt.cols, tt.keys)
			}
			if len(tt.keys) > 0 && !reflect.DeepEqual(r.Rows[tt.keys[0]], tt.first) {
				t.Errorf("first row = %#v, want %#v", r.Rows[tt.keys[0]], tt.first)
			}
			if len(r.Rows) != len(r.Keys) {
				t.Errorf("%d rows for %d keys", len(r.Rows), len(r.Keys))
			}
		})
	}
	if _, err := ReadKeyedRows(context.Background(), conn, "main", "nope"); err == nil {
		t.Error("a table that does not exist: no error")
	}
}
