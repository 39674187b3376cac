package checker

import "workbook/checker/rowdiff"

// Option adjusts how [C.Expect] compares. The options are values of this
// package's own making: [Ordered] and [AnyOrder] are constants, and the
// others are made by the functions below, so no code in the test program
// can change what an option means.
type Option interface {
	apply(*compareOptions)
}

type compareOptions struct {
	diff     rowdiff.Options
	name     string
	mistakes []mistake
	cause    string // see Cause
}

// order is an [Option] that sets the order policy of the top-level rows.
type order rowdiff.Order

func (p order) apply(o *compareOptions) { o.diff.Order = rowdiff.Order(p) }

const (
	// Ordered requires the rows in the expected order (the default).
	Ordered = order(rowdiff.Ordered)
	// AnyOrder accepts the expected rows in any order.
	AnyOrder = order(rowdiff.AnyOrder)
)

// optionFunc is an [Option] made by one of the functions below.
type optionFunc func(*compareOptions)

func (f optionFunc) apply(o *compareOptions) { f(o) }

// NestedAnyOrder accepts the lists held in field (the expenses of each user,
// say) in any order, whatever the order policy of the top-level rows.
func NestedAnyOrder(field string) Option {
	return optionFunc(func(o *compareOptions) {
		if o.diff.Nested == nil {
			o.diff.Nested = map[string]rowdiff.Order{}
		}
		o.diff.Nested[field] = rowdiff.AnyOrder
	})
}

// Noun names the rows in messages: Noun("expense") gives "got 3 expenses,
// want 4".
func Noun(word string) Option {
	return optionFunc(func(o *compareOptions) { o.diff.Noun = word })
}

// Key names the field that identifies a row, when it is not ID.
func Key(field string) Option {
	return optionFunc(func(o *compareOptions) { o.diff.Key = field })
}

// Named keeps the expected result in expected/<check>/<data set>.<name>.json,
// for a check that compares more than one value.
func Named(name string) Option {
	return optionFunc(func(o *compareOptions) { o.name = name })
}

// OrderBy states the order the rows are expected in, as the lesson asks for
// it, one ORDER BY term a string: OrderBy("amount_cents DESC", "id"). Each
// term names a field of the rows by its column (a qualifier such as "e." is
// dropped; amount_cents is the field AmountCents). When the right rows come
// back in the wrong order, the message names the first term that decides
// between the first misplaced row and the one that belongs there, and the
// terms they tie on: "your order decides amount_cents but not id".
func OrderBy(terms ...string) Option {
	return NestedOrderBy("", terms...)
}

// NestedOrderBy states the order of the lists held in field, in each row
// (each user's Expenses), as [OrderBy] does for the rows themselves.
func NestedOrderBy(field string, terms ...string) Option {
	return optionFunc(func(o *compareOptions) {
		if o.diff.OrderBy == nil {
			o.diff.OrderBy = map[string][]rowdiff.SortKey{}
		}
		for _, t := range terms {
			o.diff.OrderBy[field] = append(o.diff.OrderBy[field], rowdiff.ParseSortKey(t))
		}
	})
}

// mistake is a wrong answer a lesson expects learners to give, as the query
// that gives it and the words that explain it.
type mistake struct {
	why   string
	query string
	args  []any
}

// Cause gives the one cause a difference can have, where the check knows
// it in advance: the message adds why under any difference. A check of
// code the lesson gives the learner, and does not ask them to change,
// says that the code was changed.
func Cause(why string) Option {
	return optionFunc(func(o *compareOptions) { o.cause = why })
}

// Mistake names a plausible wrong answer: when the learner's result is
// wrong and has the rows query returns (in any order), the message adds
// why, which names the cause and what to do. The query runs on the check's
// copy when the result is compared, through the checker's own uncounted
// handle, and is scanned into a value of the type the learner returned,
// which must be a slice. Use it for the mistakes the data sets a trap for:
// a user found by name when names repeat, a code matched with LIKE.
func Mistake(why, query string, args ...any) Option {
	return optionFunc(func(o *compareOptions) {
		o.mistakes = append(o.mistakes, mistake{why, query, args})
	})
}
