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

	"workbook/internal/protocol"
	"workbook/internal/runner"
)

// renderExplain lists every statement each check's code ran on the check's
// own data set: workbook run -explain. Each time includes the view's
// latency.
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
		writeLog(w, verdict.Log, verdict.LogDropped)
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

// writeLog writes the entries of a statement log, one a line, each with its
// time (SQLite's and any simulated latency) first, and says where entries
// were left out.
func writeLog(w io.Writer, log []protocol.Statement, dropped int) {
	if len(log) == 0 {
		fmt.Fprintln(w, "  (no statements)")
		return
	}
	prev := 0
	for _, s := range log {
		if s.Seq > prev+1 {
			fmt.Fprintf(w, "  %9s  … %s not kept …\n", "", protocol.Counted(s.Seq-prev-1, "statement"))
		}
		prev = s.Seq
		d := time.Duration(s.Micros+s.WaitMicros) * time.Microsecond
		fmt.Fprintf(w, "  %9s  %s\n", shortDuration(d), printable(s.Line))
	}
	if dropped > 0 {
		fmt.Fprintf(w, "  %9s  … and %s more, counted but not recorded\n", "", protocol.Counted(dropped, "statement"))
	}
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
		fmt.Fprintf(w, "The count stays at %s whatever the size of the data.\n\n", protocol.Count(last.statements))
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
