package checker

import (
	"encoding/json"
	"strings"
	"testing"
)

func holdValue(t *testing.T, h *heldResults, call string, v any) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	h.hold(heldResult{check: "report", data: "budget", call: call, value: v, then: data})
}

func TestHeldResultsFindARewrittenResult(t *testing.T) {
	var h heldResults
	shared := []int{1, 2, 3}
	holdValue(t, &h, "first", []int{7})
	holdValue(t, &h, "second", shared)
	if _, _, ok := h.changed(); ok {
		t.Fatal("changed() found a change where nothing changed")
	}
	shared[1] = 20 // a later call fills the package-level slice again
	r, d, ok := h.changed()
	if !ok || r.call != "second" || !strings.Contains(d.String(), "20") {
		t.Fatalf("changed() = %q, %v, %v; want the second result, changed to 20", r.call, d, ok)
	}
	if _, _, ok := h.changed(); ok {
		t.Error("a change was said twice")
	}
}

func TestHeldResultsKeepTheLatestWithinTheirBound(t *testing.T) {
	var h heldResults
	big := strings.Repeat("x", maxHeldBytes/2)
	var kept [][]string
	for i := range 8 {
		v := []string{big, string(rune('a' + i))}
		kept = append(kept, v)
		holdValue(t, &h, "call", v)
	}
	if h.bytes > maxHeldTotal {
		t.Errorf("%d bytes held, more than %d", h.bytes, maxHeldTotal)
	}
	// The oldest were let go; the latest still count.
	kept[0][1] = "changed"
	if _, _, ok := h.changed(); ok {
		t.Error("a result let go was still compared")
	}
	kept[7][1] = "changed"
	if _, _, ok := h.changed(); !ok {
		t.Error("the latest result was not compared")
	}
	var small heldResults
	for range maxHeld + 5 {
		holdValue(t, &small, "call", []int{1})
	}
	if len(small.list) != maxHeld {
		t.Errorf("%d results held, want at most %d", len(small.list), maxHeld)
	}
	holdValue(t, &small, "call", []string{strings.Repeat("x", maxHeldBytes+1)})
	if last := small.list[len(small.list)-1]; len(last.then) > maxHeldBytes {
		t.Error("a result larger than maxHeldBytes was held")
	}
}
