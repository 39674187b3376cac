package checker

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
)

// sentinels names the error values of the standard library that a check
// may ask for with [C.ErrorIs], as a learner writes them in Go.
var sentinels = []struct {
	err  error
	name string
}{
	{sql.ErrNoRows, "sql.ErrNoRows"},
	{sql.ErrTxDone, "sql.ErrTxDone"},
	{sql.ErrConnDone, "sql.ErrConnDone"},
	{driver.ErrBadConn, "driver.ErrBadConn"},
	{context.Canceled, "context.Canceled"},
	{context.DeadlineExceeded, "context.DeadlineExceeded"},
	{os.ErrNotExist, "os.ErrNotExist"},
	{os.ErrExist, "os.ErrExist"},
	{os.ErrPermission, "os.ErrPermission"},
	{os.ErrClosed, "os.ErrClosed"},
	{os.ErrDeadlineExceeded, "os.ErrDeadlineExceeded"},
	{io.EOF, "io.EOF"},
	{io.ErrUnexpectedEOF, "io.ErrUnexpectedEOF"},
	{io.ErrClosedPipe, "io.ErrClosedPipe"},
}

// errorsIs writes the test errors.Is(err, target) as a learner would
// write it: errors.Is(err, sql.ErrNoRows) for a sentinel of the standard
// library. Any other value has a name the checker cannot know, so the test
// is written with "target" and the value described after it:
// `errors.Is(err, target), where target is the error value "no such user"
// (made with errors.New),`.
func errorsIs(target error) string {
	for _, s := range sentinels {
		if target == s.err {
			return "errors.Is(err, " + s.name + ")"
		}
	}
	if target == nil {
		return "errors.Is(err, nil)"
	}
	made := fmt.Sprintf("a %s", reflect.TypeOf(target))
	if reflect.TypeOf(target) == reflect.TypeOf(errors.New("")) {
		made = "made with errors.New"
	}
	return fmt.Sprintf("errors.Is(err, target), where target is the error value %q (%s),", target.Error(), made)
}
