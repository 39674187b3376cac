package checker

import (
	"database/sql"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"workbook/internal/sqlite"
)

// A check's reversedRun turns round every order the learner's queries leave
// open (see stmtlog.TieBreak), but not an ORDER BY it cannot add a term to:
// that of a compound SELECT, whose terms may name only result columns. For
// such a query the check runs once more, on a reordered copy, where the
// order of its ties comes from how the rows are stored and indexed.
//
// A reordered copy holds the same rows, with the same ids, stored and
// indexed so that every scan meets them in another order:
//
//   - a non-unique index is rebuilt with the table's INTEGER PRIMARY KEY
//     as a last, descending column, so the rows under one key come out
//     highest id first (expenses_user_id: each user's expenses, newest
//     first);
//   - a table whose rowid is not one of its columns (book_tag, with its
//     composite key) has every rowid negated, which reverses its storage
//     order and, with it, the order of ties in each of its indexes;
//   - a unique index (one a UNIQUE constraint made, too) gets a twin with
//     every column's direction flipped, which the planner prefers when the
//     costs are equal, so a GROUP BY on that column gives its groups
//     backwards.
//
// A query whose order is fully decided returns the same rows in the same
// order on the copy, so the expected results of the lesson's own data set
// hold there too. What the copy cannot change is a whole scan of a table in
// INTEGER PRIMARY KEY order: that order is the ids', and only a tie in the
// data (rows that tie on every key but id) shows a missing id tie-break
// there.

// reorder rearranges the database at path as described above.
func reorder(path string) error {
	db := openOwn(sqlite.DSN(path, sqlite.Options{BusyTimeout: sqlite.DefaultBusyTimeout}))
	defer db.Close()
	db.SetMaxOpenConns(1)
	var tables []string
	if err := db.Select(&tables, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`); err != nil {
		return err
	}
	var stmts []string
	for _, t := range tables {
		s, err := reorderTable(db, t)
		if err != nil {
			return fmt.Errorf("table %s: %w", t, err)
		}
		stmts = append(stmts, s...)
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, s := range stmts {
		if _, err := tx.Exec(s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return tx.Commit()
}

// indexColumn is one key column of an index.
type indexColumn struct {
	Name string `db:"name"`
	Desc bool   `db:"desc"`
	Coll string `db:"coll"`
}

// reorderTable returns the statements that rearrange table t.
func reorderTable(db *sqlx.DB, t string) ([]string, error) {
	var cols []struct {
		Name string `db:"name"`
		Type string `db:"type"`
		PK   int    `db:"pk"`
	}
	if err := db.Select(&cols, `SELECT name, type, pk FROM pragma_table_info(?)`, t); err != nil {
		return nil, err
	}
	hasRowid := true
	if _, err := db.Exec(`SELECT rowid FROM ` + quoteIdent(t) + ` LIMIT 0`); err != nil {
		hasRowid = false // WITHOUT ROWID: stored in key order, no ties
	}
	// The rowid's alias: the one primary key column, declared INTEGER.
	alias, pks := "", 0
	for _, c := range cols {
		if c.PK > 0 {
			pks++
			if strings.EqualFold(c.Type, "INTEGER") {
				alias = c.Name
			}
		}
	}
	if pks != 1 || !hasRowid {
		alias = ""
	}
	var stmts []string
	if hasRowid && alias == "" {
		stmts = append(stmts, `UPDATE `+quoteIdent(t)+` SET rowid = -rowid`)
	}
	var indexes []struct {
		Name    string         `db:"name"`
		Unique  bool           `db:"unique"`
		Partial bool           `db:"partial"`
		SQL     sql.NullString `db:"sql"`
	}
	if err := db.Select(&indexes, `SELECT l.name, l."unique", l.partial, s.sql FROM pragma_index_list(?) l
		LEFT JOIN sqlite_schema s ON s.type = 'index' AND s.name = l.name ORDER BY l.seq`, t); err != nil {
		return nil, err
	}
	for i, ix := range indexes {
		if ix.Partial {
			continue
		}
		var key []indexColumn
		if err := db.Select(&key, `SELECT coalesce(name, '') AS name, desc, coll FROM pragma_index_xinfo(?) WHERE key ORDER BY seqno`, ix.Name); err != nil {
			return nil, err
		}
		if len(key) == 0 || hasExpression(key) {
			continue
		}
		switch {
		case ix.Unique:
			flipped := make([]indexColumn, len(key))
			for j, k := range key {
				flipped[j] = indexColumn{Name: k.Name, Desc: !k.Desc, Coll: k.Coll}
			}
			name := fmt.Sprintf("%s_reordered_%d", t, i+1)
			stmts = append(stmts, createIndex("UNIQUE ", name, t, flipped))
		case alias != "" && ix.SQL.Valid && !hasColumn(key, alias):
			stmts = append(stmts, `DROP INDEX `+quoteIdent(ix.Name),
				createIndex("", ix.Name, t, append(key, indexColumn{Name: alias, Desc: true, Coll: "BINARY"})))
		}
	}
	return stmts, nil
}

func hasExpression(key []indexColumn) bool {
	for _, k := range key {
		if k.Name == "" {
			return true
		}
	}
	return false
}

func hasColumn(key []indexColumn, name string) bool {
	for _, k := range key {
		if strings.EqualFold(k.Name, name) {
			return true
		}
	}
	return false
}

func createIndex(unique, name, table string, key []indexColumn) string {
	parts := make([]string, len(key))
	for i, k := range key {
		parts[i] = quoteIdent(k.Name) + " COLLATE " + k.Coll
		if k.Desc {
			parts[i] += " DESC"
		}
	}
	return fmt.Sprintf("CREATE %sINDEX %s ON %s (%s)", unique, quoteIdent(name), quoteIdent(table), strings.Join(parts, ", "))
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
