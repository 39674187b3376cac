package grade

import (
	"fmt"
	"go/scanner"
	"go/token"
	"hash/fnv"
	"maps"
	"os"
	"slices"
	"strings"
)

// Similar submissions. For each lesson, the learner files of every two
// students are compared as MOSS does (Schleimer, Wilkerson and Aiken,
// "Winnowing", SIGMOD 2003): the files become a stream of tokens with the
// comments and layout gone and every identifier the same token, so that
// renaming variables or reformatting changes nothing; the stream's k-grams
// are hashed and winnowed to fingerprints; and what the shipped exercise
// and the reference solution (which `workbook solution` shows every
// student) already hold is taken out, so that only what the student wrote
// counts. Files that are the reference solution exactly are left out.
// Two students' similarity is the Jaccard index of their fingerprints.
// SQL inside string literals is split into words, lowercased, so that a
// query's spacing and case do not hide a copy either.

// Similarity is one pair of students whose learner files in a lesson look
// alike.
type Similarity struct {
	Lesson string
	// A and B are the students' names, A before B in the class's order.
	A, B string
	// Score is the similarity, from 0 to 1.
	Score float64
	// Identical is set when the files are byte for byte the same.
	Identical bool
}

// FlagSimilar marks a lesson whose learner files look like another
// student's.
const FlagSimilar = "similar"

// Winnowing parameters: k tokens to a k-gram, and a window of w k-grams, so
// that any match of w+k-1 tokens or more is found.
const (
	gramTokens = 5
	window     = 4
)

// fingerprints returns the winnowed fingerprints of source and how many
// tokens it has.
func fingerprints(files map[string][]byte) (map[uint64]bool, int) {
	var toks []string
	for _, name := range slices.Sorted(maps.Keys(files)) {
		toks = append(toks, tokens(files[name])...)
	}
	out := map[uint64]bool{}
	if len(toks) < gramTokens {
		if len(toks) > 0 {
			out[hashOf(toks)] = true
		}
		return out, len(toks)
	}
	hashes := make([]uint64, len(toks)-gramTokens+1)
	for i := range hashes {
		hashes[i] = hashOf(toks[i : i+gramTokens])
	}
	if len(hashes) <= window {
		out[slices.Min(hashes)] = true
		return out, len(toks)
	}
	for i := 0; i+window <= len(hashes); i++ {
		out[slices.Min(hashes[i:i+window])] = true
	}
	return out, len(toks)
}

func hashOf(toks []string) uint64 {
	h := fnv.New64a()
	for _, t := range toks {
		h.Write([]byte(t))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// tokens returns the tokens of a Go source file as the comparison sees
// them: no comments, every identifier "id", string literals as their
// lowercased words.
func tokens(src []byte) []string {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	s.Init(file, src, nil, 0) // comments skipped
	var out []string
	// A string literal split in pieces joined by + reads as one: the
	// pieces' words follow each other.
	afterString, plus := false, false
	for {
		_, tok, lit := s.Scan()
		if plus && tok != token.STRING {
			out = append(out, "+")
		}
		if plus = tok == token.ADD && afterString; plus {
			continue
		}
		joined := tok == token.STRING && afterString && len(out) > 0
		afterString = tok == token.STRING
		switch {
		case tok == token.EOF:
			return out
		case tok == token.IDENT:
			out = append(out, "id")
		case tok == token.STRING:
			body := strings.Trim(lit, "`\"")
			words := strings.FieldsFunc(strings.ToLower(body), func(r rune) bool {
				return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\\'
			})
			if !joined {
				out = append(out, "\"")
			}
			out = append(out, words...)
		case tok == token.SEMICOLON && lit == "\n":
			// an inserted semicolon: layout, not code
		case tok.IsLiteral():
			out = append(out, lit)
		case tok == token.RPAREN || tok == token.RBRACE || tok == token.RBRACK:
			if len(out) > 0 && out[len(out)-1] == "," {
				out = out[:len(out)-1] // a trailing comma: layout
			}
			out = append(out, tok.String())
		default:
			out = append(out, tok.String())
		}
	}
}

// similarity compares two students' fingerprints, the shipped file's taken
// out: the Jaccard index.
func similarity(a, b map[uint64]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	both := 0
	for h := range a {
		if b[h] {
			both++
		}
	}
	return float64(both) / float64(len(a)+len(b)-both)
}

// own returns fp without what shipped holds.
func own(fp, shipped map[uint64]bool) map[uint64]bool {
	out := map[uint64]bool{}
	for h := range fp {
		if !shipped[h] {
			out[h] = true
		}
	}
	return out
}

// findSimilar lists the pairs of students whose learner files look alike,
// lesson by lesson, in class.Similar, and flags both students of each.
func (g *grader) findSimilar(class *Class, units []*unit) {
	set := g.scheme.Settings.Similarity
	threshold, minTokens := set.Threshold, set.MinTokens
	if threshold == 0 {
		threshold = 0.8
	}
	if minTokens == 0 {
		minTokens = 20
	}
	if threshold < 0 {
		return
	}
	order := map[*Student]int{}
	for i, st := range class.Students {
		order[st] = i
	}
	for _, l := range g.lessons {
		// What every student has: the shipped exercise, and the reference
		// solution (`workbook solution` shows it). Likeness to those says
		// nothing about two students.
		shipped, reference := map[string][]byte{}, map[string][]byte{}
		for _, f := range l.Files {
			if data, ok := g.shipped(l.ID(), f); ok {
				shipped[f] = data
			}
			if data, err := os.ReadFile(l.SolutionPath(f)); err == nil {
				reference[f] = data
			}
		}
		base, _ := fingerprints(shipped)
		ref, _ := fingerprints(reference)
		maps.Copy(base, ref)
		type entry struct {
			u  *unit
			fp map[uint64]bool
		}
		var es []entry
		for _, u := range units {
			if u.lesson != l.ID() || u.unchanged || u.calibrating || (len(reference) > 0 && sameAs(u.files, reference)) {
				continue
			}
			fp, n := fingerprints(u.files)
			if n < minTokens {
				continue
			}
			es = append(es, entry{u, own(fp, base)})
		}
		var found []Similarity
		pair := func(a, b *Student, score float64, identical bool) {
			if order[a] > order[b] {
				a, b = b, a
			}
			found = append(found, Similarity{Lesson: l.ID(), A: a.Name, B: b.Name, Score: score, Identical: identical})
		}
		for _, e := range es {
			// The same files are one unit, graded once: every two of its
			// students are identical.
			for i, a := range e.u.students {
				for _, b := range e.u.students[i+1:] {
					pair(a, b, 1, true)
				}
			}
		}
		for i, a := range es {
			for _, b := range es[i+1:] {
				score := similarity(a.fp, b.fp)
				if score < threshold {
					continue
				}
				for _, sa := range a.u.students {
					for _, sb := range b.u.students {
						pair(sa, sb, score, false)
					}
				}
			}
		}
		slices.SortFunc(found, func(x, y Similarity) int {
			switch {
			case x.Score != y.Score:
				if x.Score > y.Score {
					return -1
				}
				return 1
			case x.Identical != y.Identical:
				if x.Identical {
					return -1
				}
				return 1
			case x.A != y.A:
				return strings.Compare(x.A, y.A)
			}
			return strings.Compare(x.B, y.B)
		})
		class.Similar = append(class.Similar, found...)
	}
	byName := map[string]*Student{}
	for _, st := range class.Students {
		byName[st.Name] = st
	}
	for _, s := range class.Similar {
		how := fmt.Sprintf("%.0f%% similar to", 100*s.Score)
		if s.Identical {
			how = "identical to"
		}
		byName[s.A].Flags = append(byName[s.A].Flags, Flag{Kind: FlagSimilar, Lesson: s.Lesson, Message: fmt.Sprintf("its learner files are %s %s's (the shipped file left out)", how, s.B)})
		byName[s.B].Flags = append(byName[s.B].Flags, Flag{Kind: FlagSimilar, Lesson: s.Lesson, Message: fmt.Sprintf("its learner files are %s %s's (the shipped file left out)", how, s.A)})
	}
}

// shipped returns the shipped exercise of a lesson's learner file f:
// _shipped/ in the instructor's copy, or else the lesson's own file there.
func (g *grader) shipped(id, f string) ([]byte, bool) {
	l := g.lesson(id)
	if data, err := os.ReadFile(l.ShippedPath(f)); err == nil {
		return data, true
	}
	data, err := os.ReadFile(l.LearnerPath(f))
	return data, err == nil
}

// sameAs reports whether files are exactly want.
func sameAs(files, want map[string][]byte) bool {
	if len(files) != len(want) {
		return false
	}
	for name, data := range files {
		if w, ok := want[name]; !ok || string(w) != string(data) {
			return false
		}
	}
	return true
}
