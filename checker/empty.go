package checker

import (
	"fmt"
	"strings"

	"workbook/checker/rowdiff"
)

// emptyValueNote explains rows missing from a result when every one of
// them holds an empty text in a field that no returned row leaves empty:
// the code took "" for "no row", as a LEFT JOIN's NULL row scanned through
// COALESCE with an empty text, or into a plain string, looks. An empty text is a value a
// row may hold. It returns "" for any other difference.
func emptyValueNote(got, want any) string {
	if len(leafObjects(got)) >= len(leafObjects(want)) {
		return "" // rows changed, not rows lost
	}
	mine := rowsAtAnyDepth(got)
	var missing []*rowdiff.Object
	for _, o := range leafObjects(want) {
		if !mine[string(rowdiff.Marshal(o))] {
			missing = append(missing, o)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	empty := emptyFields(missing[0])
	for _, o := range missing[1:] {
		empty = intersect(empty, emptyFields(o))
	}
	for k := range mine {
		v, err := rowdiff.Parse([]byte(k))
		if o, ok := v.(*rowdiff.Object); err == nil && ok {
			empty = minus(empty, emptyFields(o)) // some returned row keeps "" here: not the cause
		}
	}
	if len(empty) == 0 {
		return ""
	}
	what := "The missing row has"
	if len(missing) > 1 {
		what = fmt.Sprintf("The %d missing rows have", len(missing))
	}
	return fmt.Sprintf("%s an empty %s, which no row you returned has. \"\" is a value a row\n"+
		"may hold, not the mark of a row that is not there: code that skips rows whose %s is \"\" (or\n"+
		"takes a LEFT JOIN's row scanned through COALESCE(x, '') for its NULL row) loses them. Tell a\n"+
		"LEFT JOIN's missing row by its key: the joined id IS NULL, or scanned into a sql.NullInt64 that\n"+
		"is not Valid.", what, strings.Join(empty, " and "), strings.Join(empty, " or "))
}

// rowsAtAnyDepth returns the objects of v, a list of rows, and of every list
// nested in them, each as its marshaled text. Objects holding lists are
// left out: they are parents, and differ whenever a child does.
func rowsAtAnyDepth(v any) map[string]bool {
	out := map[string]bool{}
	for _, o := range leafObjects(v) {
		out[string(rowdiff.Marshal(o))] = true
	}
	return out
}

// leafObjects returns the objects of v, at any depth, that hold no list.
func leafObjects(v any) []*rowdiff.Object {
	var out []*rowdiff.Object
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				walk(e)
			}
		case *rowdiff.Object:
			leaf := true
			for _, k := range v.Keys {
				if _, ok := v.Values[k].([]any); ok {
					leaf = false
					walk(v.Values[k])
				}
			}
			if leaf {
				out = append(out, v)
			}
		}
	}
	walk(v)
	return out
}

// emptyFields returns the fields of o that hold the empty text, in o's
// field order.
func emptyFields(o *rowdiff.Object) []string {
	var out []string
	for _, k := range o.Keys {
		if s, ok := o.Values[k].(string); ok && s == "" {
			out = append(out, k)
		}
	}
	return out
}
