package dataset

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// The weight tracker at scale: users who weigh in about once a week for a
// year, generated deterministically, for lesson 16's timings. It is made at
// check time rather than shipped (150,000 entries are some 15 MB on disk
// with their indexes), into whatever tables the learner's schema made,
// column by column.

// WeightUser is one generated user of the weight tracker.
type WeightUser struct {
	ID, Email, Name, Unit string
}

// WeightEntry is one generated weigh-in.
type WeightEntry struct {
	ID, UserID string
	Weight     float64
	RecordedAt string // YYYY-MM-DD
}

// WeightsAtScale returns users generated users with perUser entries each,
// no two of a user's on one day. The same arguments give the same rows:
// user i's name, unit, start weight and dates come from a random source
// seeded with i alone, and the ids from one seeded with the sizes. Entries
// come in the order of their dates (the users' interleaved), as a tracker
// records them, so a user's entries are spread over the whole table.
func WeightsAtScale(users, perUser int) ([]WeightUser, []WeightEntry) {
	ids := rand.New(rand.NewPCG(uint64(users), uint64(perUser)))
	start := time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)
	us := make([]WeightUser, users)
	es := make([]WeightEntry, 0, users*perUser)
	for i := range us {
		r := rand.New(rand.NewPCG(uint64(i), 0x3e1647))
		first := firstNames[r.IntN(len(firstNames))]
		last := lastNames[r.IntN(len(lastNames))]
		u := WeightUser{ID: randomUUID(ids), Email: fmt.Sprintf("user%05d@example.net", i+1), Name: first + " " + last, Unit: "kg"}
		weight := 55 + r.Float64()*45
		if r.IntN(2) == 0 {
			u.Unit, weight = "lbs", weight*2.20462
		}
		us[i] = u
		day := start.AddDate(0, 0, r.IntN(14))
		for range perUser {
			weight += (r.Float64() - 0.55) * 1.2
			es = append(es, WeightEntry{ID: randomUUID(ids), UserID: u.ID,
				Weight: float64(int(weight*10+0.5)) / 10, RecordedAt: day.Format(time.DateOnly)})
			day = day.AddDate(0, 0, 4+r.IntN(7))
		}
	}
	slices.SortStableFunc(es, func(a, b WeightEntry) int {
		if a.RecordedAt < b.RecordedAt {
			return -1
		}
		if a.RecordedAt > b.RecordedAt {
			return 1
		}
		return 0
	})
	return us, es
}
