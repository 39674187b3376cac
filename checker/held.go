package checker

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"

	"workbook/checker/rowdiff"
	"workbook/internal/protocol"
)

// heldResults are the results the learner's code returned in this process
// so far, each with what it held when it was compared: a later call that
// rewrites one (a package-level slice, struct or map that each call fills
// again) changes a result its caller still holds. Safe for concurrent use.
type heldResults struct {
	mu    sync.Mutex
	list  []heldResult
	bytes int // the JSON of the results in list, in all
}

// A heldResult is one result as the learner's code returned it, and as it
// was then.
type heldResult struct {
	check, data, call string
	value             any    // the Go value, which a later call may rewrite
	then              []byte // its JSON (encoding/json's) when it was compared
	diff              rowdiff.Options
}

// Each comparison marshals every result kept again, so what is kept is
// bounded: the latest results, whose memory the next calls are the likeliest
// to share.
const (
	maxHeld      = 100     // results kept per process
	maxHeldBytes = 1 << 16 // larger results are not kept (a report of 1,000 users)
	maxHeldTotal = 1 << 18 // the JSON of the results kept, in all
)

// hold keeps x, a value the learner's code returned and its JSON then.
func (h *heldResults) hold(x heldResult) {
	if len(x.then) > maxHeldBytes || isEmpty(x.value) {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.list = append(h.list, x)
	h.bytes += len(x.then)
	for len(h.list) > maxHeld || h.bytes > maxHeldTotal {
		h.bytes -= len(h.list[0].then)
		h.list = h.list[1:]
	}
}

// changed returns the first held result that no longer holds what it held
// when it was compared, with the difference, and forgets it (a change is
// said once).
func (h *heldResults) changed() (heldResult, *rowdiff.Diff, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, r := range h.list {
		// The same JSON is the same value: most results never change, and
		// only one that did is parsed.
		data, err := json.Marshal(r.value)
		if err != nil || bytes.Equal(data, r.then) {
			continue
		}
		now, err1 := rowdiff.Parse(data)
		then, err2 := rowdiff.Parse(r.then)
		if err1 != nil || err2 != nil {
			continue
		}
		if d := rowdiff.Compare(now, then, r.diff); d != nil {
			h.bytes -= len(r.then)
			h.list = append(h.list[:i:i], h.list[i+1:]...)
			return r, d, true
		}
	}
	return heldResult{}, nil, false
}

// heldNote fails the check when a result the learner's code returned
// earlier, in this check or another, changed since: the call just made
// rewrote memory an earlier result shares.
func (c *C) heldNote() {
	r, d, ok := c.cfg.held.changed()
	if !ok {
		return
	}
	where := "earlier in this check"
	if r.check != c.check.Name || r.data != c.data {
		where = fmt.Sprintf("in the check %s, on %s", r.check, r.data)
	}
	msg := fmt.Sprintf("What %s returned changed after it returned.\n"+
		"  It returned that %s; the last call since: %s.\n"+
		"  Against what it was when it returned:\n%s\n"+
		"  A later call rewrote it: the results share memory, a package-level slice, array, struct or\n"+
		"  map that each call fills again (or a buffer reused with [:0]), so whoever holds an earlier\n"+
		"  result sees it change under them. Build each call's result in variables of its own (a new\n"+
		"  slice: make, or append to nil; a new struct: &User{...}).",
		r.call, where, c.callName(), indent(d.String(), "    "))
	c.failWith(newFailure(c.data, protocol.KindResult, msg), func(f *protocol.Failure) { f.AnyData = true })
}
