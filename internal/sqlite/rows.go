package sqlite

import (
	"context"
	"fmt"
	"strings"
)

// KeyedRows are every row of a table at one moment, each under its key, so
// that two moments can be compared row by row: a key that is new is a row
// added, a key that is gone a row removed, and a key whose values differ a
// row updated. The checker compares table states this way (checker's
// Snapshot and ExpectChanges), and so does the workbook sql scratchpad.
type KeyedRows struct {
	// Table is the table's name.
	Table string
	// KeyColumns are the columns of the table's primary key; it is empty
	// when the rows are keyed by their rowid.
	KeyColumns []string
	// Columns are the table's columns, in their order.
	Columns []string
	// Keys are the rows' keys in key order: each the JSON array of the
	// key's values, such as "[3]" or "[1,2]".
	Keys []string
	// Rows maps each key to the row's values, one for each of Columns, as
	// the driver returns them (int64, float64, string, []byte or nil).
	Rows map[string][]any
}

// ReadKeyedRows reads every row of table in schema, keyed by its primary key
// (by rowid when it has none).
func ReadKeyedRows(ctx context.Context, q Querier, schema, table string) (*KeyedRows, error) {
	pk, err := PrimaryKey(ctx, q, schema, table)
	if err != nil {
		return nil, err
	}
	keyExpr := "rowid"
	if len(pk) > 0 {
		quoted := make([]string, len(pk))
		for i, c := range pk {
			quoted[i] = QuoteIdent(c)
		}
		keyExpr = strings.Join(quoted, ", ")
	}
	query := fmt.Sprintf("SELECT json_array(%s), * FROM %s.%s ORDER BY %s", keyExpr, QuoteIdent(schema), QuoteIdent(table), keyExpr)
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reading the rows of %q in %q: %w", table, schema, err)
	}
	cols, err := rows.Columns()
	if err != nil {
		rows.Close()
		return nil, fmt.Errorf("sqlite: reading the rows of %q in %q: %w", table, schema, err)
	}
	out := &KeyedRows{Table: table, KeyColumns: pk, Columns: cols[1:], Rows: map[string][]any{}}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: reading the rows of %q in %q: %w", table, schema, err)
		}
		var key string
		switch k := vals[0].(type) {
		case string:
			key = k
		case []byte:
			key = string(k)
		default:
			key = fmt.Sprint(k)
		}
		out.Keys = append(out.Keys, key)
		out.Rows[key] = vals[1:]
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("sqlite: reading the rows of %q in %q: %w", table, schema, err)
	}
	return out, nil
}
