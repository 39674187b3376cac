// Package duplicateparents is the reference solution of lesson 6.
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
// EXISTS asks a yes-or-no question about each account: the database stops
// looking at an account's activity at its first qualifying deposit, and no
// row is ever repeated, so nothing needs removing afterwards.
func AccountsWithDeposit(db *sqlx.DB, minCents int64) ([]Account, error) {
	var accounts []Account
	err := db.Select(&accounts, `
		SELECT a.id, a.owner, a.email, a.balance_cents
		FROM accounts a
		WHERE EXISTS (
			SELECT 1 FROM activity t
			WHERE t.account_id = a.id
			  AND t.activity_type = 'DEP'
			  AND t.amount_cents >= ?)
		ORDER BY a.id`, minCents)
	if err != nil {
		return nil, fmt.Errorf("loading accounts with a deposit of at least %d cents: %w", minCents, err)
	}
	return accounts, nil
}
