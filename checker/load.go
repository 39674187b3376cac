package checker

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"

	"workbook/checker/rowdiff"
	"workbook/internal/protocol"
	"workbook/internal/sqlite"
)

// startingCopy prepares, in dir, the database a run of check on data set
// data starts from, and returns its path. For a check that starts empty,
// that database is empty, and rows is the path of a copy of the data set
// for [C.LoadRows] to read; otherwise rows is "".
func (s *seedCache) startingCopy(check Check, data, dir string) (path, rows string, err error) {
	path, err = s.freshCopy(data, dir)
	if err != nil || !check.StartEmpty {
		return path, "", err
	}
	rows = filepath.Join(dir, data+".rows.db")
	if err := os.Rename(path, rows); err != nil {
		return "", "", fmt.Errorf("checker: %w", err)
	}
	// SQLite reads an empty file as a database with no tables.
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		return "", "", fmt.Errorf("checker: %w", err)
	}
	return path, rows, nil
}

// rowsSchema is the name the data set's copy is attached under while
// [C.LoadRows] copies from it.
const rowsSchema = "lesson_rows"

// LoadRows copies the rows of the named tables of the check's data set into
// the tables of the same names in the run's database, column by column by
// name, in the order given (parents before children, since foreign keys are
// on). It is for a check that starts empty ([Check.StartEmpty]), after the
// learner's code has created the tables: the learner's schema then holds the
// lesson's rows, or the check stops, saying which table or column is missing
// or which row the schema refused. A table may have columns the data set
// lacks, if they can be left to their defaults. The copying is not counted.
func (c *C) LoadRows(tables ...string) {
	if c.rows == "" {
		c.stop1(protocol.KindBroken, "checker: LoadRows needs a check that starts from an empty database (Check.StartEmpty)")
	}
	if msg, broken := c.loadRows(tables); msg != "" {
		kind := protocol.KindState
		if broken {
			kind = protocol.KindBroken
		}
		c.stop1(kind, msg)
	}
}

// loadRows does the work of LoadRows. It returns why it could not, and
// whether that is the check's fault rather than the learner's.
func (c *C) loadRows(tables []string) (msg string, broken bool) {
	ctx := context.Background()
	conn, err := c.ownDB().Connx(ctx)
	if err != nil {
		return fmt.Sprintf("checker: %v", err), true
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS `+rowsSchema, c.rows); err != nil {
		return fmt.Sprintf("checker: attaching the rows of %s: %v", c.data, err), true
	}
	defer conn.ExecContext(ctx, `DETACH DATABASE `+rowsSchema)
	if _, err := conn.ExecContext(ctx, `BEGIN`); err != nil {
		return fmt.Sprintf("checker: %v", err), true
	}
	defer conn.ExecContext(ctx, `ROLLBACK`) // after a COMMIT, a harmless error
	for _, t := range tables {
		from, err := columnNames(ctx, conn, rowsSchema, t)
		if err != nil {
			return fmt.Sprintf("checker: reading the columns of %s: %v", t, err), true
		}
		if len(from) == 0 {
			return fmt.Sprintf("checker: LoadRows: data set %s has no table %q", c.data, t), true
		}
		into, err := columnNames(ctx, conn, "main", t)
		if err != nil {
			return fmt.Sprintf("checker: reading the columns of %s: %v", t, err), true
		}
		var n int
		if err := conn.GetContext(ctx, &n, fmt.Sprintf(`SELECT count(*) FROM %s.%q`, rowsSchema, t)); err != nil {
			return fmt.Sprintf("checker: counting the rows of %s: %v", t, err), true
		}
		if len(into) == 0 {
			return fmt.Sprintf("Your schema has no table %s.\n  The check loads the lesson's %s into it (columns %s):\n"+
				"  create it with those columns.", t, protocol.Counted(n, "row"), strings.Join(from, ", ")), false
		}
		if missing := missingColumns(from, into); len(missing) > 0 {
			return fmt.Sprintf("Your table %s has no %s %s, which the lesson's rows fill.\n"+
				"  The rows have: %s\n  Your table has: %s",
				t, columnsWord(len(missing)), strings.Join(missing, ", "), strings.Join(from, ", "), strings.Join(into, ", ")), false
		}
		cols := quoteList(from)
		insert := fmt.Sprintf(`INSERT INTO main.%q (%s) SELECT %s FROM %s.%q ORDER BY rowid`, t, cols, cols, rowsSchema, t)
		if _, err := conn.ExecContext(ctx, insert); err != nil {
			var b strings.Builder
			fmt.Fprintf(&b, "Your table %s refused the lesson's rows:\n    %v\n", t, err)
			if col, ok := unfilledNotNull(err, t, from); ok {
				fmt.Fprintf(&b, "  Your column %s.%s is NOT NULL, but the lesson's rows have no value for it:\n"+
					"  give it a DEFAULT, or let it be NULL.", t, col)
				return b.String(), false
			}
			if why := explain(err, "INSERT"); why != "" {
				b.WriteString(indent(why, "  ") + "\n")
			}
			if o, ok := firstOrphan(ctx, conn, t); ok {
				fmt.Fprintf(&b, "  Your %s.%s REFERENCES %s(%s), but the lesson's row\n    %s\n  has %s %v, and %s has no %s %v.\n",
					t, o.column, o.parent, o.parentColumn, o.row, o.column, o.value, o.parent, o.parentColumn, o.value)
			}
			b.WriteString("  The check copies the rows in as they are in the data set, parents first: your schema must accept them.")
			return b.String(), false
		}
	}
	if _, err := conn.ExecContext(ctx, `COMMIT`); err != nil {
		return fmt.Sprintf("Your schema refused the lesson's rows as the load ended:\n    %v\n%s", err, indent(explain(err, "INSERT"), "  ")), false
	}
	return "", false
}

// columnNames returns the names of the columns of table in schema, in the
// order they were declared; none if there is no such table.
func columnNames(ctx context.Context, q sqlite.Querier, schema, table string) ([]string, error) {
	cols, err := sqlite.Columns(ctx, q, schema, table)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, c := range cols {
		names = append(names, c.Name)
	}
	return names, nil
}

// orphan is a row of the data set that a foreign key of the learner's table
// refuses.
type orphan struct {
	column, parent, parentColumn string
	row                          string // the row, formatted
	value                        any
}

// firstOrphan finds a row of table in the data set whose value for a
// single-column foreign key of the learner's table names no parent there.
func firstOrphan(ctx context.Context, conn *sqlx.Conn, table string) (orphan, bool) {
	fks, err := sqlite.ForeignKeys(ctx, conn, "main", table)
	if err != nil {
		return orphan{}, false
	}
	for _, fk := range fks {
		if len(fk.From) != 1 {
			continue // a composite key
		}
		from := fk.From[0]
		var to string
		if len(fk.To) == 1 {
			to = fk.To[0]
		} else {
			pk, err := sqlite.PrimaryKey(ctx, conn, "main", fk.Parent)
			if err != nil || len(pk) != 1 {
				continue
			}
			to = pk[0]
		}
		q := fmt.Sprintf(`SELECT * FROM %s.%q s WHERE s.%q IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM main.%q p WHERE p.%q = s.%q) ORDER BY rowid LIMIT 1`,
			rowsSchema, table, from, fk.Parent, to, from)
		rows, err := conn.QueryxContext(ctx, q)
		if err != nil {
			continue
		}
		row := map[string]any{}
		found := rows.Next() && rows.MapScan(row) == nil
		cols, _ := rows.Columns()
		rows.Close()
		if !found {
			continue
		}
		obj := &rowdiff.Object{Values: map[string]any{}}
		for _, c := range cols {
			obj.Keys = append(obj.Keys, c)
			obj.Values[c] = jsonValue(row[c])
		}
		return orphan{column: from, parent: fk.Parent, parentColumn: to,
			row: rowdiff.Format(obj, 120), value: asText(row[from])}, true
	}
	return orphan{}, false
}

// unfilledNotNull reports whether err is SQLite refusing a NULL in a column
// of table that the copied columns from do not fill, and names the column.
func unfilledNotNull(err error, table string, from []string) (string, bool) {
	var se sqlite3.Error
	if !errors.As(err, &se) || se.ExtendedCode != sqlite3.ErrConstraintNotNull {
		return "", false
	}
	_, col, ok := strings.Cut(se.Error(), "NOT NULL constraint failed: "+table+".")
	if !ok || len(missingColumns([]string{col}, from)) == 0 {
		return "", false
	}
	return col, true
}

// missingColumns returns the columns of want that have lacks, comparing
// names as SQLite does, without regard to case.
func missingColumns(want, have []string) []string {
	got := map[string]bool{}
	for _, h := range have {
		got[strings.ToLower(h)] = true
	}
	var out []string
	for _, w := range want {
		if !got[strings.ToLower(w)] {
			out = append(out, w)
		}
	}
	return out
}

func columnsWord(n int) string {
	if n == 1 {
		return "column"
	}
	return "columns"
}
