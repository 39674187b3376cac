package report

import (
	"fmt"
	"strings"

	"workbook/internal/grade"
)

// similarSection lists, in the instructor's summary, the pairs of students
// whose learner files look alike.
func similarSection(b *strings.Builder, class *grade.Class) {
	b.WriteString("\n## Similar submissions\n\n")
	if len(class.Similar) == 0 {
		b.WriteString("No two students' learner files look alike (the shipped file left out).\n")
		return
	}
	b.WriteString("Pairs of students whose learner files look alike once the shipped file, comments, layout and names are left out (winnowed token fingerprints, as MOSS does). A likeness is a reason to look, not a finding: short answers to a narrow task can look alike.\n\n")
	b.WriteString("| Lesson | Students | Similarity |\n|---|---|---:|\n")
	for _, s := range class.Similar {
		score := fmt.Sprintf("%.0f%%", 100*s.Score)
		if s.Identical {
			score = "identical"
		}
		fmt.Fprintf(b, "| %s | %s, %s | %s |\n", s.Lesson, mdCell(s.A), mdCell(s.B), score)
	}
}
