package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Querier runs a query that returns rows. [*sql.DB], [*sql.Conn] and
// [*sql.Tx] have this method, and so do sqlx's DB, Conn and Tx, which embed
// them.
//
// Every function here reads all the rows of one query and closes them
// before it runs the next, so a handle limited to one connection works.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Object is one entry of a schema's table of contents (its sqlite_schema
// table): a table, an index, a view or a trigger.
type Object struct {
	// Type is "table", "index", "view" or "trigger".
	Type string
	// Name is the object's name.
	Name string
	// Table is the table the object belongs to: a table's own name, or the
	// table an index or trigger is on.
	Table string
	// SQL is the statement that made the object, as it was written.
	SQL string
}

// Objects returns the objects of schema in the order they were made, leaving
// out SQLite's own (those whose names start with "sqlite_", such as
// sqlite_sequence).
func Objects(ctx context.Context, q Querier, schema string) ([]Object, error) {
	// No table-valued function lists a schema's objects in the order they
	// were made (pragma_table_list goes by a hash), so this query names the
	// schema in its text, quoted as an identifier.
	query := `SELECT type, name, tbl_name, coalesce(sql, '') FROM ` + QuoteIdent(schema) + `.sqlite_schema
		WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY rowid`
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reading the schema of %q: %w", schema, err)
	}
	var out []Object
	for rows.Next() {
		var o Object
		if err := rows.Scan(&o.Type, &o.Name, &o.Table, &o.SQL); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: reading the schema of %q: %w", schema, err)
		}
		out = append(out, o)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("sqlite: reading the schema of %q: %w", schema, err)
	}
	return out, nil
}

// QuoteIdent quotes name as an SQL identifier: in double quotes, with each
// double quote in it doubled.
func QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// Tables returns the names of the tables of schema in the order they were
// made, leaving out SQLite's own (sqlite_sequence, sqlite_stat1, ...).
func Tables(ctx context.Context, q Querier, schema string) ([]string, error) {
	objs, err := Objects(ctx, q, schema)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, o := range objs {
		if o.Type == "table" {
			out = append(out, o.Name)
		}
	}
	return out, nil
}

// Column is one column of a table, as PRAGMA table_info reports it.
type Column struct {
	// Name is the column's name.
	Name string
	// Type is the column's declared type as it was written ("INTEGER",
	// "varchar(20)"), or "" if it has none.
	Type string
	// NotNull reports whether the column is declared NOT NULL.
	NotNull bool
	// Default is the SQL text of the column's DEFAULT ("0", "'open'",
	// "CURRENT_TIMESTAMP"), or nil if it has none.
	Default *string
	// PK is the column's place in the table's primary key, from 1, or 0
	// when it is not part of it.
	PK int
}

// Columns returns the columns of table in schema, in the order they were
// declared. A table that does not exist has no columns: the result is then
// empty, and the error nil.
func Columns(ctx context.Context, q Querier, schema, table string) ([]Column, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?, ?) ORDER BY cid`, table, schema)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reading the columns of %q in %q: %w", table, schema, err)
	}
	var out []Column
	for rows.Next() {
		var c Column
		var def sql.NullString
		if err := rows.Scan(&c.Name, &c.Type, &c.NotNull, &def, &c.PK); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: reading the columns of %q in %q: %w", table, schema, err)
		}
		if def.Valid {
			c.Default = &def.String
		}
		out = append(out, c)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("sqlite: reading the columns of %q in %q: %w", table, schema, err)
	}
	return out, nil
}

// PrimaryKey returns the columns of the primary key of table in schema, in
// the key's order. It is empty for a table keyed by its rowid alone, and for
// a table that does not exist.
func PrimaryKey(ctx context.Context, q Querier, schema, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT name FROM pragma_table_info(?, ?) WHERE pk > 0 ORDER BY pk`, table, schema)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reading the primary key of %q in %q: %w", table, schema, err)
	}
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: reading the primary key of %q in %q: %w", table, schema, err)
		}
		out = append(out, name)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("sqlite: reading the primary key of %q in %q: %w", table, schema, err)
	}
	return out, nil
}

// ForeignKey is one foreign key of a table, as PRAGMA foreign_key_list
// reports it, its columns gathered.
type ForeignKey struct {
	// ID numbers the key among its table's. SQLite numbers the key
	// declared last 0.
	ID int
	// Parent is the table the key refers to.
	Parent string
	// From are the key's columns in the table, in the key's order.
	From []string
	// To are the columns of Parent that From refer to, in the same order.
	// It is empty when the key leaves them out (REFERENCES users), which
	// means Parent's primary key.
	To []string
	// OnUpdate and OnDelete are the key's actions, as SQLite spells them:
	// "NO ACTION", "RESTRICT", "SET NULL", "SET DEFAULT" or "CASCADE".
	OnUpdate, OnDelete string
}

// ForeignKeys returns the foreign keys of table in schema, in the order of
// their IDs. A table that does not exist has none.
func ForeignKeys(ctx context.Context, q Querier, schema, table string) ([]ForeignKey, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, "table", "from", "to", on_update, on_delete
		FROM pragma_foreign_key_list(?, ?) ORDER BY id, seq`, table, schema)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reading the foreign keys of %q in %q: %w", table, schema, err)
	}
	var out []ForeignKey
	for rows.Next() {
		var (
			id                 int
			parent, from       string
			to                 sql.NullString
			onUpdate, onDelete string
		)
		if err := rows.Scan(&id, &parent, &from, &to, &onUpdate, &onDelete); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: reading the foreign keys of %q in %q: %w", table, schema, err)
		}
		if len(out) == 0 || out[len(out)-1].ID != id {
			out = append(out, ForeignKey{ID: id, Parent: parent, OnUpdate: onUpdate, OnDelete: onDelete})
		}
		fk := &out[len(out)-1]
		fk.From = append(fk.From, from)
		if to.Valid {
			fk.To = append(fk.To, to.String)
		}
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("sqlite: reading the foreign keys of %q in %q: %w", table, schema, err)
	}
	for i := range out {
		// SQLite gives every column of a key a "to", or none.
		if len(out[i].To) != len(out[i].From) {
			out[i].To = nil
		}
	}
	return out, nil
}

// Index is one index of a table, as PRAGMA index_list and index_info report
// it.
type Index struct {
	// Name is the index's name; SQLite names the indexes it makes for
	// constraints sqlite_autoindex_<table>_<n>.
	Name string
	// Unique reports whether the index is UNIQUE.
	Unique bool
	// Origin says what made the index: "c" a CREATE INDEX, "u" a UNIQUE
	// constraint, "pk" a PRIMARY KEY.
	Origin string
	// Columns are the columns the index orders by, in its order; an
	// expression in the index is "".
	Columns []string
	// Collations are the collating sequences the index compares each of
	// Columns with ("BINARY", "NOCASE", "RTRIM").
	Collations []string
	// Partial reports whether the index has a WHERE clause (it holds only
	// the rows that meet it).
	Partial bool
}

// Indexes returns the indexes of table in schema, in the order PRAGMA
// index_list numbers them (its seq: SQLite lists the index made last
// first). A table that does not exist has none.
func Indexes(ctx context.Context, q Querier, schema, table string) ([]Index, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, "unique", origin, partial FROM pragma_index_list(?, ?) ORDER BY seq`, table, schema)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reading the indexes of %q in %q: %w", table, schema, err)
	}
	var out []Index
	for rows.Next() {
		var ix Index
		if err := rows.Scan(&ix.Name, &ix.Unique, &ix.Origin, &ix.Partial); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: reading the indexes of %q in %q: %w", table, schema, err)
		}
		out = append(out, ix)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("sqlite: reading the indexes of %q in %q: %w", table, schema, err)
	}
	for i := range out {
		cols, colls, err := indexColumns(ctx, q, schema, out[i].Name)
		if err != nil {
			return nil, fmt.Errorf("sqlite: reading the columns of index %q of %q in %q: %w", out[i].Name, table, schema, err)
		}
		out[i].Columns, out[i].Collations = cols, colls
	}
	return out, nil
}

func indexColumns(ctx context.Context, q Querier, schema, index string) (cols, colls []string, err error) {
	rows, err := q.QueryContext(ctx, `SELECT name, coll FROM pragma_index_xinfo(?, ?) WHERE key ORDER BY seqno`, index, schema)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var name, coll sql.NullString
		if err := rows.Scan(&name, &coll); err != nil {
			rows.Close()
			return nil, nil, err
		}
		cols, colls = append(cols, name.String), append(colls, coll.String)
	}
	return cols, colls, closeRows(rows)
}

// Violation is a row that breaks a foreign key, as PRAGMA foreign_key_check
// reports it.
type Violation struct {
	// Table is the table that holds the row.
	Table string
	// RowID is the row's rowid; it is not valid for a WITHOUT ROWID table.
	RowID sql.NullInt64
	// Parent is the table the key refers to.
	Parent string
	// ForeignKey is the [ForeignKey.ID] of the key the row breaks.
	ForeignKey int
}

// ForeignKeyViolations returns every row of schema that breaks a foreign key:
// a value with no parent row. It finds them whether or not the connection
// enforces foreign keys.
func ForeignKeyViolations(ctx context.Context, q Querier, schema string) ([]Violation, error) {
	rows, err := q.QueryContext(ctx, `SELECT "table", rowid, parent, fkid FROM pragma_foreign_key_check(NULL, ?)`, schema)
	if err != nil {
		return nil, fmt.Errorf("sqlite: checking the foreign keys of %q: %w", schema, err)
	}
	var out []Violation
	for rows.Next() {
		var v Violation
		if err := rows.Scan(&v.Table, &v.RowID, &v.Parent, &v.ForeignKey); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: checking the foreign keys of %q: %w", schema, err)
		}
		out = append(out, v)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("sqlite: checking the foreign keys of %q: %w", schema, err)
	}
	return out, nil
}

// closeRows closes rows and returns the first error of the iteration or the
// closing.
func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}

// Checks returns the CHECK constraints of table in schema, each as the
// expression inside its parentheses with its white space folded, in the
// order the CREATE TABLE statement writes them. SQLite reports them through
// no pragma, so they are read from the statement itself, skipping comments
// and quoted text.
func Checks(ctx context.Context, q Querier, schema, table string) ([]string, error) {
	query := `SELECT coalesce(sql, '') FROM ` + QuoteIdent(schema) + `.sqlite_schema WHERE type = 'table' AND name = ?`
	rows, err := q.QueryContext(ctx, query, table)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reading the CHECK constraints of %q: %w", table, err)
	}
	var out []string
	for rows.Next() {
		var text string
		if err := rows.Scan(&text); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: reading the CHECK constraints of %q: %w", table, err)
		}
		out = append(out, CheckClauses(text)...)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("sqlite: reading the CHECK constraints of %q: %w", table, err)
	}
	return out, nil
}

// CheckClauses returns the expression of each CHECK ( … ) of a CREATE TABLE
// statement, as [Checks] does for a table of a database.
func CheckClauses(stmt string) []string {
	var out []string
	for i := 0; i < len(stmt); {
		if n := skipQuotedOrComment(stmt, i); n > i {
			i = n
			continue
		}
		if !hasWordAt(stmt, i, "CHECK") {
			i++
			continue
		}
		j := i + len("CHECK")
		for j < len(stmt) && strings.ContainsRune(" \t\r\n", rune(stmt[j])) {
			j++
		}
		if j >= len(stmt) || stmt[j] != '(' {
			i = j
			continue
		}
		depth, k := 0, j
		for k < len(stmt) {
			if n := skipQuotedOrComment(stmt, k); n > k {
				k = n
				continue
			}
			switch stmt[k] {
			case '(':
				depth++
			case ')':
				depth--
			}
			k++
			if depth == 0 {
				break
			}
		}
		out = append(out, strings.Join(strings.Fields(stmt[j+1:k-1]), " "))
		i = k
	}
	return out
}

// hasWordAt reports whether s holds word (in any case) at i, as a whole word.
func hasWordAt(s string, i int, word string) bool {
	if i+len(word) > len(s) || !strings.EqualFold(s[i:i+len(word)], word) {
		return false
	}
	isWord := func(c byte) bool { return c == '_' || c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z' }
	return (i == 0 || !isWord(s[i-1])) && (i+len(word) == len(s) || !isWord(s[i+len(word)]))
}

// skipQuotedOrComment returns where the quoted text or comment that starts
// at i ends, or i when none starts there.
func skipQuotedOrComment(s string, i int) int {
	switch {
	case strings.HasPrefix(s[i:], "--"):
		if n := strings.IndexByte(s[i:], '\n'); n >= 0 {
			return i + n + 1
		}
		return len(s)
	case strings.HasPrefix(s[i:], "/*"):
		if n := strings.Index(s[i+2:], "*/"); n >= 0 {
			return i + 2 + n + 2
		}
		return len(s)
	case s[i] == '\'' || s[i] == '"' || s[i] == '`' || s[i] == '[':
		end := s[i]
		if end == '[' {
			end = ']'
		}
		for k := i + 1; k < len(s); k++ {
			if s[k] == end {
				if end != ']' && k+1 < len(s) && s[k+1] == end {
					k++ // a doubled quote stands for itself
					continue
				}
				return k + 1
			}
		}
		return len(s)
	}
	return i
}

// Words returns the bare words of stmt (keywords and unquoted names), in
// upper case, in order, leaving out its comments, its quoted text and its
// numbers: what a check compares to tell which clauses a statement uses.
func Words(stmt string) []string {
	var out []string
	isStart := func(c byte) bool { return c == '_' || c|0x20 >= 'a' && c|0x20 <= 'z' }
	isWord := func(c byte) bool { return isStart(c) || c >= '0' && c <= '9' || c == '$' }
	for i := 0; i < len(stmt); {
		if n := skipQuotedOrComment(stmt, i); n > i {
			i = n
			continue
		}
		if !isStart(stmt[i]) || i > 0 && isWord(stmt[i-1]) {
			i++
			continue
		}
		j := i
		for j < len(stmt) && isWord(stmt[j]) {
			j++
		}
		out = append(out, strings.ToUpper(stmt[i:j]))
		i = j
	}
	return out
}
