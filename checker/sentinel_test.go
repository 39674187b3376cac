package checker

import (
	"context"
	"database/sql"
	"errors"
	"testing"
)

type notFound struct{ id int }

func (e *notFound) Error() string { return "not found" }

func TestErrorsIsNamesTheTarget(t *testing.T) {
	tests := []struct {
		target error
		want   string
	}{
		{sql.ErrNoRows, "errors.Is(err, sql.ErrNoRows)"},
		{sql.ErrTxDone, "errors.Is(err, sql.ErrTxDone)"},
		{context.DeadlineExceeded, "errors.Is(err, context.DeadlineExceeded)"},
		{errors.New("no such user"), `errors.Is(err, target), where target is the error value "no such user" (made with errors.New),`},
		{&notFound{3}, `errors.Is(err, target), where target is the error value "not found" (a *checker.notFound),`},
	}
	for _, tt := range tests {
		if got := errorsIs(tt.target); got != tt.want {
			t.Errorf("errorsIs(%v) = %s, want %s", tt.target, got, tt.want)
		}
	}
}
