package report

import (
	"fmt"
	"io"
	"strings"

	"workbook/internal/grade"
)

// SummaryMD is the instructor's summary of a grading.
const SummaryMD = "summary.md"

// Summary writes the instructor's summary: the data the grading used (and
// the seed that repeats it), the submissions that look alike, and the
// flags, in Markdown.
func Summary(w io.Writer, class *grade.Class) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Grading summary\n\n%d submission(s) graded against %s in %.1fs.\n\n",
		len(class.Students), mdText(class.Workbook), class.Elapsed.Seconds())
	b.WriteString("## Grading-time data\n\n")
	if len(class.Fresh) == 0 {
		b.WriteString("The checks ran on the shipped data sets, variants included, which every student has.\n")
	} else {
		fmt.Fprintf(&b, "The checks ran on data sets made for this grading from seed %d, in place of the variants every student has:\n\n", class.Seed)
		for _, f := range class.Fresh {
			fmt.Fprintf(&b, "- %s (for %s)\n", f.Name, f.Replaces)
		}
		fmt.Fprintf(&b, "\nTo grade on the same data again: `workbook grade -seed %d`.\n", class.Seed)
	}
	if len(class.Skipped) > 0 {
		b.WriteString("\n## Not graded\n\nThese entries of the folder of submissions are not submissions the grader reads, so nothing in them was graded:\n\n")
		for _, s := range class.Skipped {
			fmt.Fprintf(&b, "- %s\n", mdText(strings.ReplaceAll(s.String(), "\n", " ")))
		}
	}
	similarSection(&b, class)
	b.WriteString("\n## Flags\n\n")
	n := 0
	for _, st := range class.Students {
		for _, f := range st.Flags {
			fmt.Fprintf(&b, "- %s: %s\n", mdText(st.Name), mdText(printable(flagText(f))))
			n++
		}
	}
	if n == 0 {
		b.WriteString("None.\n")
	}
	for _, note := range class.Notes {
		fmt.Fprintf(&b, "\nNote: %s\n", mdText(note))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// FreshLine says in a line which data the grading made and with what seed,
// or "" when it made none.
func FreshLine(class *grade.Class) string {
	if len(class.Fresh) == 0 {
		return ""
	}
	var sets []string
	for _, f := range class.Fresh {
		sets = append(sets, fmt.Sprintf("%s (for %s)", f.Name, f.Replaces))
	}
	return fmt.Sprintf("Grading-time data: %s, seed %d; repeat with -seed %d", strings.Join(sets, ", "), class.Seed, class.Seed)
}
