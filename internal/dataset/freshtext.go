package dataset

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
)

// rekeyAll gives the rows of each table of the spec's rekey list, keyed by
// a text UUID, new random version 4 UUIDs drawn from the seed, in the same
// order as the old ones, and makes every column that refers to them
// follow. The weight tracker's ids are made in Go by the learner's code;
// a fresh set must not hold the variant's, which a learner has seen.
func (f *freshen) rekeyAll(tx *sql.Tx) error {
	for _, t := range f.spec.rekey {
		if err := f.rekey(tx, t); err != nil {
			return fmt.Errorf("new ids for %s: %w", t, err)
		}
	}
	return nil
}

func (f *freshen) rekey(tx *sql.Tx, t string) error {
	rows, err := tx.QueryContext(f.ctx, fmt.Sprintf("SELECT id FROM %s ORDER BY id", q(t)))
	if err != nil {
		return err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	fresh := make([]string, 0, len(ids))
	seen := map[string]bool{}
	for len(fresh) < len(ids) {
		u := randomUUID(f.r)
		if !seen[u] && !slices.Contains(ids, u) {
			seen[u] = true
			fresh = append(fresh, u)
		}
	}
	slices.Sort(fresh)
	if _, err := tx.ExecContext(f.ctx, "CREATE TEMP TABLE IF NOT EXISTS fresh_text_ids (old TEXT PRIMARY KEY, new TEXT NOT NULL)"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(f.ctx, "DELETE FROM fresh_text_ids"); err != nil {
		return err
	}
	for i, id := range ids {
		if _, err := tx.ExecContext(f.ctx, "INSERT INTO fresh_text_ids (old, new) VALUES (?, ?)", id, fresh[i]); err != nil {
			return err
		}
	}
	// The new ids are all unlike the old, so no update meets a row not yet
	// changed.
	if _, err := tx.ExecContext(f.ctx, fmt.Sprintf("UPDATE %s SET id = (SELECT new FROM fresh_text_ids WHERE old = id)", q(t))); err != nil {
		return err
	}
	for _, rf := range f.refs[t] {
		stmt := fmt.Sprintf("UPDATE %s SET %s = (SELECT new FROM fresh_text_ids WHERE old = %s) WHERE %s IS NOT NULL", q(rf.table), q(rf.column), q(rf.column), q(rf.column))
		if _, err := tx.ExecContext(f.ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}

// randomUUID draws a version 4 UUID (RFC 9562) from r, in its canonical
// form: 36 characters, lower-case hexadecimal, hyphens after the 8th,
// 12th, 16th and 20th digit.
func randomUUID(r *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // the RFC's variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
