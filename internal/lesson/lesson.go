// Package lesson reads the lessons of the workbook from their manifests.
//
// Every lesson lives in lessons/NN-name/ and declares itself in one place,
// lessons/NN-name/lesson.json:
//
//	{
//	  "number": 7,
//	  "name": "n-plus-one",
//	  "title": "The N+1 problem",
//	  "files": ["report.go"],
//	  "checks": [
//	    {"name": "report-10-users", "about": "the report for 10 users, in at most 2 statements"}
//	  ],
//	  "hints": [
//	    "A first nudge, about no check in particular.",
//	    {"text": "A hint about one check.", "checks": ["report-10-users"]}
//	  ]
//	}
//
// files are the files the learner edits (the rest of the folder belongs to
// the lesson), checks name the checks its tests run (grading attaches points
// to these names), and hints are shown one at a time. A hint is a string,
// or an object whose checks name the declared checks it helps with, so that
// a learner whose run failed a check sees that check's hints first (see
// [Lesson.HintOrder]). The command, the checker and the grader all read
// lessons through this package.
package lesson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ManifestName is the file name of a lesson's manifest.
const ManifestName = "lesson.json"

// Lesson is one lesson, as its manifest declares it.
type Lesson struct {
	// Number orders the lessons, from 1.
	Number int `json:"number"`
	// Name is the lesson's short name, lower case words joined by dashes.
	Name string `json:"name"`
	// Title is a line saying what the lesson teaches.
	Title string `json:"title"`
	// Files lists the files the learner edits, relative to the lesson's
	// folder.
	Files []string `json:"files"`
	// Checks lists the checks, in the order they run.
	Checks []Check `json:"checks"`
	// Hints are shown one at a time, each time the learner asks, in the
	// order HintOrder gives.
	Hints []Hint `json:"hints"`
	// Timeout bounds the run of the lesson's checks, once built, as a Go
	// duration ("90s"). Empty means DefaultTimeout.
	Timeout string `json:"timeout,omitempty"`
	// EquivalentMutants lists the mutants of the reference solution that
	// workbook dev mutants finds the checks pass, and that no check could
	// reject because they behave as the solution does wherever the lesson
	// can be run. Every other survivor is a gap in the checks.
	EquivalentMutants []EquivalentMutant `json:"equivalent_mutants,omitempty"`

	// Dir is the lesson's folder. It is set by Load, not read from the
	// manifest.
	Dir string `json:"-"`
}

// Check is a check a lesson declares.
type Check struct {
	// Name identifies the check: lower case words joined by dashes.
	Name string `json:"name"`
	// About says in a line what the check checks.
	About string `json:"about"`
}

// Hint is one hint of a lesson. In the manifest it is either a string (a
// hint about no check in particular) or an object:
//
//	{"text": "Join on the foreign keys.", "checks": ["food-by-amount", "any-category"]}
type Hint struct {
	// Text is what the learner reads.
	Text string `json:"text"`
	// Checks names the declared checks the hint helps with; empty means
	// none in particular.
	Checks []string `json:"checks,omitempty"`
}

// UnmarshalJSON reads a hint written as a string or as an object with the
// fields text and checks (and no other).
func (h *Hint) UnmarshalJSON(data []byte) error {
	var text string
	if err := json.Unmarshal(data, &text); err == nil {
		*h = Hint{Text: text}
		return nil
	}
	type plain Hint // without this method
	var p plain
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return fmt.Errorf("a hint is a string or {\"text\": ..., \"checks\": [...]}: %w", err)
	}
	*h = Hint(p)
	return nil
}

// About reports whether the hint names check.
func (h Hint) About(check string) bool {
	for _, c := range h.Checks {
		if c == check {
			return true
		}
	}
	return false
}

// EquivalentMutant is a mutant of the reference solution that behaves as
// the solution does, and why.
type EquivalentMutant struct {
	// ID is the mutant's stable id as workbook dev mutants prints it:
	// its operator and eight hex digits, "drop-order-key-1a2b3c4d".
	ID string `json:"id"`
	// Reason says why no check can tell the mutant from the solution.
	Reason string `json:"reason"`
}

// mutantPattern is what a mutant's id looks like (package mutant makes
// them): an operator, a dash, eight hex digits, and a count for a
// repeated place.
var mutantPattern = regexp.MustCompile(`^[a-z]+(?:-[a-z]+)*-[0-9a-f]{8}(?:-[0-9]+)?$`)

// IsEquivalentMutant reports whether the manifest lists the mutant id as
// equivalent.
func (l *Lesson) IsEquivalentMutant(id string) bool {
	for _, m := range l.EquivalentMutants {
		if m.ID == id {
			return true
		}
	}
	return false
}

// HintOrder returns the indexes into l.Hints of the hints not yet seen, in
// the order to show them: first the hints for the first failing check
// (those that name it, and those that name no check, which are for every
// check), in the manifest's order, so that a nudge still comes before the
// answer; then those for each later failing check; then the rest, in the
// manifest's order. failing names the checks that failed in the last run,
// in the order the lesson declares them (nil when there was no run, or
// none failed); seen reports whether the hint at an index was shown
// already (nil when none was). An empty result means every hint has been
// seen.
func (l *Lesson) HintOrder(failing []string, seen func(i int) bool) []int {
	var order []int
	taken := make([]bool, len(l.Hints))
	take := func(i int) {
		if !taken[i] && (seen == nil || !seen(i)) {
			order = append(order, i)
		}
		taken[i] = true
	}
	for _, check := range failing {
		for i, h := range l.Hints {
			if len(h.Checks) == 0 || h.About(check) {
				take(i)
			}
		}
	}
	for i := range l.Hints {
		take(i)
	}
	return order
}

// DefaultTimeout bounds a lesson's run when its manifest sets none.
const DefaultTimeout = 60 * time.Second

// ID returns the lesson's folder name, such as "07-n-plus-one".
func (l *Lesson) ID() string { return fmt.Sprintf("%02d-%s", l.Number, l.Name) }

// RunTimeout returns the lesson's time limit.
func (l *Lesson) RunTimeout() time.Duration {
	d, err := time.ParseDuration(l.Timeout)
	if err != nil || d <= 0 {
		return DefaultTimeout
	}
	return d
}

// HasCheck reports whether the lesson declares a check called name.
func (l *Lesson) HasCheck(name string) bool {
	for _, c := range l.Checks {
		if c.Name == name {
			return true
		}
	}
	return false
}

var (
	dirPattern  = regexp.MustCompile(`^(\d\d)-([a-z0-9]+(?:-[a-z0-9]+)*)$`)
	namePattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
)

// Load reads the lesson in dir and checks that its manifest is complete and
// agrees with the folder's name.
func Load(dir string) (*Lesson, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(abs, ManifestName)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("lesson: %w", err)
	}
	var l Lesson
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("lesson: %s: %w", path, err)
	}
	l.Dir = abs
	if err := l.validate(filepath.Base(abs)); err != nil {
		return nil, fmt.Errorf("lesson: %s: %w", path, err)
	}
	return &l, nil
}

func (l *Lesson) validate(dirName string) error {
	m := dirPattern.FindStringSubmatch(dirName)
	if m == nil {
		return fmt.Errorf("folder %q is not named NN-name (two digits, a dash, lower case words)", dirName)
	}
	n, _ := strconv.Atoi(m[1])
	var problems []string
	if l.Number != n {
		problems = append(problems, fmt.Sprintf("number is %d but the folder says %d", l.Number, n))
	}
	if l.Name != m[2] {
		problems = append(problems, fmt.Sprintf("name is %q but the folder says %q", l.Name, m[2]))
	}
	if strings.TrimSpace(l.Title) == "" {
		problems = append(problems, "title is empty")
	}
	if len(l.Files) == 0 {
		problems = append(problems, "files is empty: name the file(s) the learner edits")
	}
	for _, f := range l.Files {
		if f == "" || filepath.IsAbs(f) || strings.Contains(f, "..") || strings.HasSuffix(f, "_test.go") {
			problems = append(problems, fmt.Sprintf("file %q must be a non-test file inside the lesson's folder", f))
		}
	}
	if len(l.Checks) == 0 {
		problems = append(problems, "checks is empty")
	}
	seen := map[string]bool{}
	for _, c := range l.Checks {
		if !namePattern.MatchString(c.Name) {
			problems = append(problems, fmt.Sprintf("check name %q is not lower case words joined by dashes", c.Name))
		}
		if seen[c.Name] {
			problems = append(problems, fmt.Sprintf("check %q is declared twice", c.Name))
		}
		seen[c.Name] = true
	}
	if len(l.Hints) == 0 {
		problems = append(problems, "hints is empty: give at least one")
	}
	for i, h := range l.Hints {
		if strings.TrimSpace(h.Text) == "" {
			problems = append(problems, fmt.Sprintf("hint %d has no text", i+1))
		}
		named := map[string]bool{}
		for _, c := range h.Checks {
			switch {
			case !seen[c]:
				problems = append(problems, fmt.Sprintf("hint %d is about check %q, which the lesson does not declare", i+1, c))
			case named[c]:
				problems = append(problems, fmt.Sprintf("hint %d names check %q twice", i+1, c))
			}
			named[c] = true
		}
	}
	if l.Timeout != "" {
		if d, err := time.ParseDuration(l.Timeout); err != nil || d <= 0 {
			problems = append(problems, fmt.Sprintf("timeout %q is not a positive Go duration such as \"90s\"", l.Timeout))
		}
	}
	mutants := map[string]bool{}
	for _, m := range l.EquivalentMutants {
		switch {
		case !mutantPattern.MatchString(m.ID):
			problems = append(problems, fmt.Sprintf("equivalent mutant id %q is not an operator and eight hex digits, as workbook dev mutants prints it", m.ID))
		case mutants[m.ID]:
			problems = append(problems, fmt.Sprintf("equivalent mutant %q is listed twice", m.ID))
		case strings.TrimSpace(m.Reason) == "":
			problems = append(problems, fmt.Sprintf("equivalent mutant %q has no reason: say why no check can tell it from the solution", m.ID))
		}
		mutants[m.ID] = true
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// LoadAll reads every lesson under root/lessons, ordered by number.
func LoadAll(root string) ([]*Lesson, error) {
	dirs, err := filepath.Glob(filepath.Join(root, LessonsDir, "*", ManifestName))
	if err != nil {
		return nil, err
	}
	var all []*Lesson
	byNumber := map[int]string{}
	for _, m := range dirs {
		l, err := Load(filepath.Dir(m))
		if err != nil {
			return nil, err
		}
		if other, dup := byNumber[l.Number]; dup {
			return nil, fmt.Errorf("lesson: lessons %s and %s share number %d", other, l.ID(), l.Number)
		}
		byNumber[l.Number] = l.ID()
		all = append(all, l)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("lesson: no lessons under %s", filepath.Join(root, LessonsDir))
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Number < all[j].Number })
	return all, nil
}

// Find returns the lesson that query names: its number ("7" or "07"), its
// name ("n-plus-one"), its folder ("07-n-plus-one" or "lessons/07-n-plus-one/")
// or a unique prefix of its name. When none matches, the error names the
// nearest lesson.
func Find(all []*Lesson, query string) (*Lesson, error) {
	q := strings.TrimSuffix(filepath.ToSlash(strings.TrimSpace(query)), "/")
	q = strings.TrimPrefix(strings.TrimPrefix(q, "./"), LessonsDir+"/")
	q = strings.ToLower(q)
	if n, err := strconv.Atoi(q); err == nil {
		for _, l := range all {
			if l.Number == n {
				return l, nil
			}
		}
	}
	for _, l := range all {
		if q == l.Name || q == l.ID() {
			return l, nil
		}
	}
	var prefixed []*Lesson
	for _, l := range all {
		if q != "" && strings.HasPrefix(l.Name, q) {
			prefixed = append(prefixed, l)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0], nil
	}
	return nil, &NotFoundError{Query: query, Nearest: nearest(all, q)}
}

// NotFoundError is returned by Find for a query that names no lesson.
type NotFoundError struct {
	Query   string
	Nearest *Lesson // nil when nothing is close
}

func (e *NotFoundError) Error() string {
	if e.Nearest != nil {
		return fmt.Sprintf("no lesson %q (did you mean %d, %s?)", e.Query, e.Nearest.Number, e.Nearest.Name)
	}
	return fmt.Sprintf("no lesson %q", e.Query)
}

// nearest returns the lesson whose name or folder is closest to q in edit
// distance, if it is close enough to be a likely typo.
func nearest(all []*Lesson, q string) *Lesson {
	var best *Lesson
	bestDist := 1 << 30
	for _, l := range all {
		for _, cand := range []string{l.Name, l.ID()} {
			if d := editDistance(q, cand); d < bestDist {
				best, bestDist = l, d
			}
		}
		for _, word := range strings.Split(l.Name, "-") {
			if len(word) > 2 && strings.Contains(q, word) && bestDist > len(q)/2 {
				best, bestDist = l, len(q)/2
			}
		}
	}
	if best == nil || bestDist > max(2, len(q)/2) {
		return nil
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// FindRoot returns the workbook's root folder: the nearest folder at or
// above start that holds both go.mod and lessons/.
func FindRoot(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for {
		if isRoot(dir) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("not inside the workbook: no folder at or above %s holds go.mod and lessons/ (cd into your clone of the workbook)", start)
		}
		dir = parent
	}
}

func isRoot(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		return false
	}
	fi, err := os.Stat(filepath.Join(dir, LessonsDir))
	return err == nil && fi.IsDir()
}

// Markers around the hints section of a lesson's README.md, which is
// generated from the manifest so that the count of hints has one source.
const (
	hintsBegin = "<!-- hints: generated from lesson.json by `go test ./internal/lesson -update`; edit them there -->"
	hintsEnd   = "<!-- end hints -->"
)

// ReadmeWithHints returns readme with the text between the hints markers
// replaced by a paragraph saying how many hints the lesson has and how to
// see them. The hints themselves are never in the README: reading the
// lesson must not give the answers away.
func (l *Lesson) ReadmeWithHints(readme string) (string, error) {
	begin := strings.Index(readme, hintsBegin)
	end := strings.Index(readme, hintsEnd)
	if begin < 0 || end < begin {
		return "", fmt.Errorf("lesson %s: README.md has no hints markers (%s … %s)", l.ID(), hintsBegin, hintsEnd)
	}
	count := "one hint"
	if len(l.Hints) != 1 {
		count = fmt.Sprintf("%d hints", len(l.Hints))
	}
	var b strings.Builder
	b.WriteString(readme[:begin+len(hintsBegin)])
	fmt.Fprintf(&b, "\nTry the task first. This lesson has %s, shown one at a time and not\n"+
		"here: `go run ./cmd/workbook hint %d` shows the next one, and so does `h`\n"+
		"in watch mode. The hints about the first check that fails come first.\n", count, l.Number)
	b.WriteString(readme[end:])
	return b.String(), nil
}

// Missing returns the learner's files (as declared, relative to the lesson's
// folder) that are not there. A learner may delete one; the lesson still
// loads, so that the workbook can say so and put it back.
func (l *Lesson) Missing() []string {
	var out []string
	for _, f := range l.Files {
		if _, err := os.Stat(l.LearnerPath(f)); errors.Is(err, fs.ErrNotExist) {
			out = append(out, f)
		}
	}
	return out
}

// ModulePath returns the module path the go.mod in root declares.
func ModulePath(root string) (string, error) {
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(gomod), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
			if path := strings.Trim(strings.TrimSpace(strings.Split(rest, "//")[0]), `"`); path != "" {
				return path, nil
			}
		}
	}
	return "", fmt.Errorf("%s has no module line", filepath.Join(root, "go.mod"))
}
