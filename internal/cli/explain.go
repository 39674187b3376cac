package cli

import (
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"workbook/internal/protocol"
	"workbook/internal/runner"
)

// renderExplain lists the statements each check's code ran on the check's
// own data set: workbook run -explain. Each shows its whole SQL, its
// arguments, what it gave back (the first rows of a query), the line of the
// learner's code that sent it, and under the first statement of each shape
// how SQLite ran it. A long run of one shape is cut to its first and last
// statements unless v.explainAll. Each time includes the view's latency.
func (v *view) renderExplain(o *runner.Outcome) {
	w := v.w
	fmt.Fprintf(w, "%s\n", v.style.bold("Every statement your code ran, check by check (on the check's own data set):"))
	if v.latency > 0 {
		fmt.Fprintf(w, "(each time includes %s of simulated network latency)\n", v.latency)
	}
	fmt.Fprintln(w)
	for _, c := range o.Checks {
		verdict := c.Verdict
		if verdict == nil {
			continue
		}
		if verdict.LogData == "" {
			// The check could not run (a fault of the lesson's): nothing
			// ran, and its failure says why.
			fmt.Fprintf(w, "%s\n  (no statements: the check did not run)\n\n", v.style.bold("── "+c.Check.Name))
			continue
		}
		fmt.Fprintf(w, "%s\n", v.style.bold(fmt.Sprintf("── %s, on %s: %s", c.Check.Name, verdict.LogData, explainSummary(verdict))))
		writeLog(w, verdict, v.explainAll)
		fmt.Fprintln(w)
	}
}

// explainSummary says how many statements a check's own data set ran, and
// how long they took.
func explainSummary(v *protocol.Verdict) string {
	text := fmt.Sprintf("%s, %s in SQLite", protocol.Counted(v.LogStatements, "statement"), shortDuration(time.Duration(v.DBTime)))
	if v.Waited > 0 {
		text += fmt.Sprintf(" + %s of latency", shortDuration(time.Duration(v.Waited)))
	}
	return text
}

// Where -explain wraps SQL, and how much of a run of one shape it keeps.
const (
	explainWidth = 100
	runHead      = 3 // statements shown at the start of a run of one shape
	runTail      = 1 // and at its end
)

// logIndent is where a statement's text starts, after its time.
const logIndent = "             "

// writeLog writes a verdict's statement log, one statement a paragraph, and
// says where statements were left out.
func writeLog(w io.Writer, v *protocol.Verdict, all bool) {
	log := v.Log
	if len(log) == 0 {
		fmt.Fprintln(w, "  (no statements)")
		return
	}
	plans := map[int]protocol.Plan{}
	for _, p := range v.Plans {
		plans[p.Seq] = p
	}
	firstOfShape := map[string]int{}
	lastSite := map[string]string{} // by shape: the site shown last
	shapes := make([]string, len(log))
	for i, s := range log {
		if s.Kind == protocol.EntryStatement {
			shapes[i] = strings.ToLower(s.Shape)
		}
	}
	prev := 0
	for i := 0; i < len(log); i++ {
		s := log[i]
		if s.Seq > prev+1 {
			fmt.Fprintf(w, "%s… %s not kept …\n", logIndent, protocol.Counted(s.Seq-prev-1, "statement"))
		}
		prev = s.Seq
		// A run of one shape: statements i..j-1.
		j := i + 1
		for j < len(log) && shapes[i] != "" && shapes[j] == shapes[i] && log[j].Seq == log[j-1].Seq+1 {
			j++
		}
		if n := j - i; !all && n > runHead+runTail+1 {
			for k := i; k < i+runHead; k++ {
				writeStatement(w, log[k], firstOfShape, lastSite, shapes[k], plans)
			}
			skipped := log[j-runTail-1].Seq - log[i+runHead].Seq + 1
			fmt.Fprintf(w, "%s… %s more of the same shape (%d–%d); -explain=all shows them …\n",
				logIndent, protocol.Count(skipped), log[i+runHead].Seq, log[j-runTail-1].Seq)
			for k := j - runTail; k < j; k++ {
				writeStatement(w, log[k], firstOfShape, lastSite, shapes[k], plans)
			}
			prev = log[j-1].Seq
			i = j - 1
			continue
		}
		writeStatement(w, s, firstOfShape, lastSite, shapes[i], plans)
	}
	if v.LogDropped > 0 {
		fmt.Fprintf(w, "%s… and %s more, counted but not recorded\n", logIndent, protocol.Counted(v.LogDropped, "statement"))
	}
}

// writeStatement writes one statement: its time and number, its whole SQL
// wrapped (or, for a shape already shown, a pointer to it), its arguments
// and result, its first rows, its site (unless the last statement of its
// shape had the same) and, the first time its shape appears, its plan.
func writeStatement(w io.Writer, s protocol.Statement, firstOfShape map[string]int, lastSite map[string]string, shape string, plans map[int]protocol.Plan) {
	d := time.Duration(s.Micros+s.WaitMicros) * time.Microsecond
	head := fmt.Sprintf("  %9s  ", shortDuration(d))
	number := fmt.Sprintf("%d. ", s.Seq)
	if s.SQL == "" {
		// Transaction control, or a log from an older checks program.
		fmt.Fprintf(w, "%s%s\n", head, printable(s.Line))
		return
	}
	text := strings.Join(strings.Fields(printable(s.SQL)), " ")
	first, seen := firstOfShape[shape]
	if seen && shape != "" {
		text = fmt.Sprintf("(the SQL of statement %d)", first)
	} else if shape != "" {
		firstOfShape[shape] = s.Seq
	}
	if len(s.Args) > 0 {
		text += "  [" + strings.Join(s.Args, ", ") + "]"
	}
	if s.Result != "" {
		text += "  → " + printable(s.Result)
	}
	cont := strings.Repeat(" ", utf8.RuneCountInString(head)+len(number))
	for i, line := range fillWords(text, explainWidth-len(cont)) {
		if i == 0 {
			fmt.Fprintf(w, "%s%s%s\n", head, number, line)
		} else {
			fmt.Fprintf(w, "%s%s\n", cont, line)
		}
	}
	if len(s.Rows) > 0 {
		fmt.Fprintf(w, "%s%s\n", cont, sampleText(s))
	}
	if s.Site != nil {
		// Said once for a run of one shape, and again where it changes.
		if site := s.Site.String(); lastSite[shape] != site || shape == "" {
			lastSite[shape] = site
			fmt.Fprintf(w, "%sfrom %s\n", cont, site)
		}
	}
	if p, ok := plans[s.Seq]; ok {
		switch {
		case p.Err != "":
			fmt.Fprintf(w, "%splan: (could not be read: %s)\n", cont, printable(p.Err))
		case len(p.Steps) > 0:
			fmt.Fprintf(w, "%splan:\n%s", cont, p.Tree(cont+"  "))
			for _, st := range p.Steps {
				if st.Index != "" {
					fmt.Fprintf(w, "%s  a SEARCH instead: %s\n", cont, st.Index)
				}
			}
		}
	}
}

// sampleText writes a query's first rows: "rows: (1, 'Alice'), (2, 'Bob'),
// … 8 more".
func sampleText(s protocol.Statement) string {
	parts := make([]string, len(s.Rows))
	for i, row := range s.Rows {
		parts[i] = "(" + printable(strings.Join(row, ", ")) + ")"
	}
	text := "rows: " + strings.Join(parts, ", ")
	if more := s.Returned - int64(len(s.Rows)); more > 0 {
		text += fmt.Sprintf(", … %s more", protocol.Count(int(more)))
	}
	return text
}

// sizedData matches the name of a data set generated at a size: budget-1000.
var sizedData = regexp.MustCompile(`-(\d+)$`)

// sizePoint is one check of a lesson checked at several data sizes.
type sizePoint struct {
	data       string
	size       int
	statements int
	time       time.Duration
}

// sizePoints returns the checks of o that ran on data sets of different
// sizes, smallest first, or nil when there are fewer than two sizes.
func sizePoints(o *runner.Outcome) []sizePoint {
	var points []sizePoint
	seen := map[int]bool{}
	for _, c := range o.Checks {
		v := c.Verdict
		if v == nil || v.LogData == "" {
			continue
		}
		m := sizedData.FindStringSubmatch(v.LogData)
		if m == nil {
			continue
		}
		size, err := strconv.Atoi(m[1])
		if err != nil || seen[size] {
			continue
		}
		seen[size] = true
		points = append(points, sizePoint{data: v.LogData, size: size, statements: v.Statements,
			time: time.Duration(v.DBTime + v.Waited)})
	}
	if len(points) < 2 {
		return nil
	}
	sort.Slice(points, func(i, j int) bool { return points[i].size < points[j].size })
	return points
}

// chartWidth is the width of a full bar.
const chartWidth = 40

// renderChart draws, for a lesson checked at several data sizes, the
// statements and their time at each size: 1 + N grows with the data, the
// fix stays flat.
func (v *view) renderChart(o *runner.Outcome) {
	points := sizePoints(o)
	if points == nil {
		return
	}
	w := v.w
	header := "Statements and their time, by data size"
	if v.latency > 0 {
		header += fmt.Sprintf(" (with %s of latency each)", v.latency)
	}
	fmt.Fprintln(w, v.style.bold(header+":"))
	fmt.Fprint(w, chart(points, v.style.color))
	first, last := points[0], points[len(points)-1]
	switch {
	case last.statements > first.statements:
		fmt.Fprintf(w, "The count grows with the data: %s on %s, %s on %s.\n\n",
			protocol.Counted(first.statements, "statement"), first.data, protocol.Count(last.statements), last.data)
	default:
		fmt.Fprintf(w, "The count stays at %s at every size checked, from %s to %s.\n\n", protocol.Count(last.statements), first.data, last.data)
	}
}

// chart draws points as bars, scaled so that a full bar is the larger of the
// most statements and the largest size: statements per row read at a
// glance. fancy draws with block characters, otherwise with ASCII.
func chart(points []sizePoint, fancy bool) string {
	scale := 0
	nameWidth, countWidth := 0, 0
	for _, p := range points {
		scale = max(scale, p.statements, p.size)
		nameWidth = max(nameWidth, len(p.data))
		countWidth = max(countWidth, len(protocol.Count(p.statements)))
	}
	full, empty := "#", " "
	if fancy {
		full = "█"
	}
	var b strings.Builder
	for _, p := range points {
		n := 0
		if scale > 0 {
			n = int(math.Round(float64(p.statements) / float64(scale) * chartWidth))
		}
		if n == 0 && p.statements > 0 {
			n = 1
		}
		bar := strings.Repeat(full, n) + strings.Repeat(empty, chartWidth-n)
		fmt.Fprintf(&b, "  %-*s |%s| %*s  %s\n", nameWidth, p.data, bar, countWidth, protocol.Count(p.statements), shortDuration(p.time))
	}
	return b.String()
}
