package dataset

import (
	"reflect"
	"testing"
)

// TestWeightsAtScale proves the scaled weights set is the same for the
// same sizes, has the sizes asked for, distinct version 4 ids, no user with
// two entries on one day (so a date orders a user's entries fully), and
// entries in date order with the users interleaved.
func TestWeightsAtScale(t *testing.T) {
	us, es := WeightsAtScale(200, 12)
	us2, es2 := WeightsAtScale(200, 12)
	if !reflect.DeepEqual(us, us2) || !reflect.DeepEqual(es, es2) {
		t.Fatal("two calls with the same sizes gave different rows")
	}
	if len(us) != 200 || len(es) != 200*12 {
		t.Fatalf("got %d users and %d entries, want 200 and 2400", len(us), len(es))
	}
	ids := map[string]bool{}
	days := map[string]bool{}
	perUser := map[string]int{}
	for _, u := range us {
		ids[u.ID] = true
		if u.Unit != "kg" && u.Unit != "lbs" {
			t.Errorf("user %s has unit %q", u.Email, u.Unit)
		}
	}
	for i, e := range es {
		if ids[e.ID] {
			t.Fatalf("id %s given twice", e.ID)
		}
		ids[e.ID] = true
		if days[e.UserID+e.RecordedAt] {
			t.Errorf("user %s has two entries on %s", e.UserID, e.RecordedAt)
		}
		days[e.UserID+e.RecordedAt] = true
		perUser[e.UserID]++
		if i > 0 && es[i-1].RecordedAt > e.RecordedAt {
			t.Fatalf("entry %d (%s) comes after one of %s", i, e.RecordedAt, es[i-1].RecordedAt)
		}
	}
	for id := range ids {
		if len(id) != 36 || id[14] != '4' || id[19] != '8' && id[19] != '9' && id[19] != 'a' && id[19] != 'b' {
			t.Fatalf("id %s is not a version 4 UUID", id)
		}
	}
	if len(perUser) != 200 {
		t.Errorf("%d users have entries, want 200", len(perUser))
	}
	if es[0].UserID == es[1].UserID && es[1].UserID == es[2].UserID {
		t.Errorf("the first entries are all one user's: the users do not interleave")
	}
}
