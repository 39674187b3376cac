// Workbook runs the lessons of the relational data workbook: it builds a
// lesson with the learner's file, runs its checks, and explains what they
// found. Run 'workbook help' for its commands.
package main

import (
	"os"

	"workbook/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
