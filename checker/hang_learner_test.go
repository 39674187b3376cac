package checker

import (
	"sync/atomic"

	"github.com/jmoiron/sqlx"
)

// spin stands for the learner's code in the hang tests: a loop whose
// condition never changes. stopSpinning ends it, so that the test leaves
// no goroutine spinning.
var stopSpinning atomic.Bool

func reportSpins(db *sqlx.DB) ([]expense, error) {
	var ids []int64
	if err := db.Select(&ids, `SELECT id FROM users ORDER BY id`); err != nil {
		return nil, err
	}
	for len(ids) > 0 && !stopSpinning.Load() { // the loop, on one line: wherever it is sampled
	}
	return nil, nil
}
