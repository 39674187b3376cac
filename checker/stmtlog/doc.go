// Package stmtlog counts and records every SQL statement that reaches SQLite
// through a database/sql handle.
//
// It wraps github.com/mattn/go-sqlite3's driver. Open a handle with
// [NewConnector] and every Exec and Query that runs on it, directly or through
// a prepared statement, is added to a [Log] as it executes:
//
//	log := new(stmtlog.Log)
//	db := sql.OpenDB(stmtlog.NewConnector("file:budget.db?_foreign_keys=on", log, nil))
//	defer db.Close()
//
//	rows, err := db.Query("SELECT id, name FROM users")
//	...
//	for _, e := range log.Statements() {
//		fmt.Println(e.Seq, e.SQL, e.Args, e.Rows)
//	}
//
// Statements are counted when they execute, not when they are prepared, so a
// prepared statement that runs ten times is ten entries. An Exec of several
// statements ("DELETE ...; DELETE ...") is an entry for each, because SQLite
// runs each of them: one call can carry any number of statements, and a
// count of calls would let it hide them. A CREATE TRIGGER is one statement,
// semicolons in its body included. Work SQLite does on its own, such as the
// deletes of an ON DELETE CASCADE or a trigger's body, is not a statement
// of the program's and is not counted.
//
// Transaction control (Begin, Commit, Rollback, and BEGIN/COMMIT/ROLLBACK/
// SAVEPOINT/RELEASE sent as SQL text) is recorded too, as entries of a kind
// other than [KindStatement], so that [Log.Count] counts statements alone.
//
// To feel what a statement costs when the database is across a network, give
// the connector a latency ([Connector.SetLatency], [Driver.Latency]): every
// statement then answers one simulated round trip later. The wait is kept in
// [Entry.Wait], apart from [Entry.Duration], which stays SQLite's own time.
//
// Every driver interface that go-sqlite3 implements is forwarded, and the
// connection a wrapper holds can be reached with [Underlying], for example
// inside [database/sql.Conn.Raw], to register hooks or run a backup.
package stmtlog
