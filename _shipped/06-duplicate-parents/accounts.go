// Package duplicateparents is lesson 6 of the workbook: joins repeat the
// parent.
//
// This is your file: make AccountsWithDeposit return each account once,
// then run
//
//	go run ./cmd/workbook run 6
package duplicateparents

import (
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Account is a bank account. The db tags name the columns sqlx fills each
// field from.
type Account struct {
	ID           int64  `db:"id"`
	Owner        string `db:"owner"`
	Email        string `db:"email"`
	BalanceCents int64  `db:"balance_cents"`
}

// AccountsWithDeposit returns, in id order, the accounts that have at least
// one deposit (activity_type 'DEP') of at least minCents, each account once,
// in one statement. No account qualifying is an empty list, not an error.
//
// TODO: it returns an account once for every deposit that qualifies, so an
// account with two such deposits comes out twice. Return each account once.
func AccountsWithDeposit(db *sqlx.DB, minCents int64) ([]Account, error) {
	var accounts []Account
	err := db.Select(&accounts, `
		SELECT a.id, a.owner, a.email, a.balance_cents
		FROM accounts a
		JOIN activity t ON t.account_id = a.id
		WHERE t.activity_type = 'DEP' AND t.amount_cents >= ?
		ORDER BY a.id`, minCents)
	if err != nil {
		return nil, fmt.Errorf("loading accounts with a deposit of at least %d cents: %w", minCents, err)
	}
	return accounts, nil
}
