package report

import (
	"strconv"
	"strings"
)

// csvSafe returns the cells of a class.csv row with every cell that a
// spreadsheet would read as a formula neutralised: one that starts with
// =, +, -, @, a tab or a carriage return gets a single quote in front, as
// OWASP's guidance on CSV injection says. A student's name is the name of
// the folder or archive they handed in, so it is the student's to choose
// (=HYPERLINK(…) runs in the instructor's spreadsheet). A cell that is a
// number (-1.5) is left as it is.
func csvSafe(row []string) []string {
	out := make([]string, len(row))
	for i, cell := range row {
		if _, err := strconv.ParseFloat(cell, 64); err != nil && cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
			cell = "'" + cell
		}
		out[i] = cell
	}
	return out
}
