package stmtlog_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/jmoiron/sqlx"
	_ "github.com/mattn/go-sqlite3"

	"workbook/checker/stmtlog"
)

// BenchmarkStatement compares one small query through the bare driver and
// through the counting wrapper: the per-statement cost of counting.
func BenchmarkStatement(b *testing.B) {
	dsn := "file:" + filepath.Join(b.TempDir(), "b.db")
	setup := sqlx.MustOpen("sqlite3", dsn)
	setup.MustExec(schema)
	setup.Close()
	handles := map[string]*sqlx.DB{
		"bare":    sqlx.MustOpen("sqlite3", dsn),
		"counted": sqlx.NewDb(sql.OpenDB(stmtlog.NewConnector(dsn, new(stmtlog.Log), nil)), "sqlite3"),
	}
	for _, name := range []string{"bare", "counted"} {
		db := handles[name]
		defer db.Close()
		b.Run(name, func(b *testing.B) {
			var amounts []int64
			for i := 0; i < b.N; i++ {
				amounts = amounts[:0]
				if err := db.Select(&amounts, `SELECT amount_cents FROM expenses WHERE user_id = ? ORDER BY id`, 1+i%3); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
