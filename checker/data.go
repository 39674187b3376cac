package checker

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"

	"workbook/checker/stmtlog"
	"workbook/internal/lesson"
	"workbook/internal/scratch"
	"workbook/internal/sqlite"
)

// DriverName is the database/sql driver name of go-sqlite3 with statement
// counting. A lesson whose learner opens the database themselves (lesson 1)
// has them open it with this driver name in place of "sqlite3", on the path
// [C.Path] returns; the statements are then recorded like those on [C.DB].
const DriverName = "workbook-sqlite3"

// learnerSetup prepares every connection the learner's code gets. With
// reverse_unordered_selects, SQLite returns the rows of a query without ORDER
// BY in the reverse of its usual order, so code that needs an order it never
// asked for fails here rather than by luck later; the tie-break function a
// reversedRun adds to ORDER BY is registered too. No database may be
// attached: the learner's code works on the copy it was given and nothing
// else, never on a seeded file.
func learnerSetup(sc *sqlite3.SQLiteConn) error {
	sc.SetLimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
	if err := stmtlog.RegisterTieBreak(sc); err != nil {
		return err
	}
	_, err := sc.Exec("PRAGMA reverse_unordered_selects = ON", nil)
	return err
}

// ownDriver opens the checker's own connections: not counted, and not
// subject to the guard on the "sqlite3" driver.
var ownDriver = &sqlite3.SQLiteDriver{}

// openOwn opens a handle of the checker's own on the database dsn names.
func openOwn(dsn string) *sqlx.DB {
	return sqlx.NewDb(sql.OpenDB(ownConnector{dsn}), "sqlite3")
}

type ownConnector struct{ dsn string }

func (c ownConnector) Connect(context.Context) (driver.Conn, error) { return ownDriver.Open(c.dsn) }
func (c ownConnector) Driver() driver.Driver                        { return ownDriver }

// guardBareDriver makes go-sqlite3's own "sqlite3" driver, which counts
// nothing, refuse every connection in a checks program: code under check
// that opens its own (to a check's copy or a copy of it, to escape the
// statement count; to a seeded file, to read answers or write to data/)
// gets an error saying to use the handle it was given. The checker's own
// connections come from other driver values and are not affected.
func guardBareDriver() {
	db, err := sql.Open("sqlite3", "")
	if err != nil {
		return
	}
	defer db.Close()
	drv, ok := db.Driver().(*sqlite3.SQLiteDriver)
	if !ok || drv.ConnectHook != nil {
		return
	}
	drv.ConnectHook = func(sc *sqlite3.SQLiteConn) error {
		path := sc.GetFilename("main")
		switch {
		case copies.has(path):
			return fmt.Errorf("checker: %s is the check's database; use the handle the check gives you (or the %q driver), not a connection of your own", filepath.Base(path), DriverName)
		case isSeeded(path):
			bareOpens.record(path)
			return fmt.Errorf("checker: %s is a seeded data set, which code under check never reads: use the handle the check gives you", filepath.Base(path))
		}
		// Any other database: a copy of the check's made by hand, or one
		// in memory filled from it, would run statements nobody counts.
		// No lesson's code opens one of its own.
		name := path
		if name == "" {
			name = "a database in memory"
		}
		return fmt.Errorf("checker: go-sqlite3's own driver opens nothing while checks run (%s): statements on a connection of your own would go uncounted; use the handle the check gives you (or the %q driver on the path it gives)", name, DriverName)
	}
}

// bareOpens records the first seeded file code under check tried to open
// itself before any check began (in a package's init, computing an answer
// from the data), so that every check can say so. An open refused during a
// check is that check's: its code gets the error.
var bareOpens = new(openRecord)

type openRecord struct {
	mu      sync.Mutex
	closed  bool // a check has begun
	path    string
	callers []uintptr
}

// close ends the time in which opens are recorded: the first check begins.
func (r *openRecord) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
}

func (r *openRecord) record(path string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || r.path != "" {
		return
	}
	r.path = path
	r.callers = make([]uintptr, 64)
	r.callers = r.callers[:runtime.Callers(3, r.callers)]
}

// note returns the failure message of a check run in a process whose code
// under check opened a seeded file, or "".
func (r *openRecord) note(cfg *config) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.path == "" {
		return ""
	}
	where := ""
	frames := runtime.CallersFrames(r.callers)
	for {
		f, more := frames.Next()
		if f.File != "" && cfg.isLearnerFile(f.File) {
			fn := shortFunc(f.Function)
			if strings.HasPrefix(fn, "init.") {
				fn = "init" // init.0: the compiler's name for a file's func init
			}
			where = fmt.Sprintf(",\nat %s:%d in %s,", cfg.rel(f.File), f.Line, fn)
			break
		}
		if !more {
			break
		}
	}
	return fmt.Sprintf("Your code opened the seeded file %s itself%s and was refused.\n"+
		"Whatever your code knows about the data, it must learn from the db it is handed: the checks\n"+
		"give it a private copy, of other data sets than the lesson's too, and what a seeded file\n"+
		"says is right for them only by luck. Remove that connection.", cfg.rel(r.path), where)
}

// copies maps the path of every live database copy to the log of the check
// that made it, so that a connection opened by name reaches the right log.
var copies = &copyRegistry{logs: map[string]*stmtlog.Log{}}

type copyRegistry struct {
	mu   sync.Mutex
	logs map[string]*stmtlog.Log
}

func (r *copyRegistry) add(path string, log *stmtlog.Log) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logs[path] = log
}

func (r *copyRegistry) remove(path string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.logs, path)
}

// has reports whether path is a live copy.
func (r *copyRegistry) has(path string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.logs[filepath.Clean(path)]
	return ok
}

// seededDirs holds the data/ folders of the workbooks whose data sets this
// process has read.
var seededDirs sync.Map

// isSeeded reports whether path lies in a data/ folder of seeded databases.
func isSeeded(path string) bool {
	dir := filepath.Dir(filepath.Clean(path))
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	_, ok := seededDirs.Load(dir)
	return ok
}

// logFor refuses any database but a live copy: code under check can only
// ever open the copy its check prepared, never a seeded file.
func (r *copyRegistry) logFor(dsn string) (*stmtlog.Log, error) {
	path := dsnPath(dsn)
	r.mu.Lock()
	defer r.mu.Unlock()
	if log, ok := r.logs[path]; ok {
		return log, nil
	}
	if isSeeded(path) {
		bareOpens.record(path)
	}
	return nil, fmt.Errorf("checker: %q is not the database this check prepared (open the path the check gave you)", path)
}

// dsnPath extracts the file path from a go-sqlite3 data source name such as
// "file:/tmp/x/bank.db?_foreign_keys=on", made absolute.
func dsnPath(dsn string) string {
	p := sqlite.PathOf(dsn)
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return filepath.Clean(p)
}

// seedCache holds the bytes of seeded databases, read once per process.
type seedCache struct {
	dir  string
	mu   sync.Mutex
	data map[string][]byte
	// fixed is set when data holds every data set there is: a graded
	// run's, handed over by the grader.
	fixed bool
}

func newSeedCache(dir string) *seedCache {
	markSeeded(dir)
	return &seedCache{dir: dir, data: map[string][]byte{}}
}

// markSeeded records dir as a data/ folder of seeded databases, for
// isSeeded.
func markSeeded(dir string) {
	real := dir
	if r, err := filepath.EvalSymlinks(dir); err == nil {
		real = r
	}
	if abs, err := filepath.Abs(real); err == nil {
		seededDirs.Store(abs, true)
	}
}

// bytes returns the content of data set name. The seeded file is only read.
func (s *seedCache) bytes(name string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.data[name]; ok {
		return b, nil
	}
	if strings.ContainsAny(name, `/\`) || name == "" || strings.HasPrefix(name, ".") {
		return nil, fmt.Errorf("checker: %q is not a data set name", name)
	}
	if s.fixed {
		return nil, fmt.Errorf("checker: no data set %q (the data sets are: %s)", name, strings.Join(s.names(), ", "))
	}
	b, err := os.ReadFile(filepath.Join(s.dir, name+".db"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("checker: no data set %q (the data sets are: %s)", name, strings.Join(s.names(), ", "))
	}
	if err != nil {
		return nil, fmt.Errorf("checker: %w", err)
	}
	s.data[name] = b
	return b, nil
}

// names lists the data sets there are.
func (s *seedCache) names() []string {
	if s.fixed {
		var out []string
		for name := range s.data {
			out = append(out, name)
		}
		sort.Strings(out)
		return out
	}
	files, _ := filepath.Glob(filepath.Join(s.dir, "*.db"))
	var out []string
	for _, f := range files {
		out = append(out, strings.TrimSuffix(filepath.Base(f), ".db"))
	}
	return out
}

// freshCopy writes a private copy of data set name into dir and returns its
// path.
func (s *seedCache) freshCopy(name, dir string) (string, error) {
	b, err := s.bytes(name)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, name+".db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return "", fmt.Errorf("checker: copy of %s: %w", name, err)
	}
	return path, nil
}

// scratchDir returns where private copies go (see package
// workbook/internal/scratch).
var scratchDir = scratch.Dir

// findDataDir returns the data/ folder of the workbook that holds dir: a
// lesson's folder, or one of the workbook's own (the checker's, for its
// tests).
func findDataDir(dir string) (string, error) {
	root, err := lesson.FindRoot(dir)
	if err == nil {
		data := filepath.Join(root, "data")
		if fi, err := os.Stat(data); err == nil && fi.IsDir() {
			return data, nil
		}
	}
	return "", fmt.Errorf("checker: no data/ folder beside go.mod at or above %s", dir)
}
