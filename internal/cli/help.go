package cli

import (
	"fmt"
	"strings"
)

const mainHelp = `Workbook teaches relational data in Go: foreign keys, one-to-many, joins,
the N+1 problem, cascades and many-to-many. Each lesson is a Go file you
edit; its checks run your code on a private copy of a seeded SQLite
database, count every statement it sends, and explain what differs.

usage: workbook [command] [arguments]

The commands are:
%[1]s
With no command, on a terminal, workbook watches the first lesson you have
not passed: it runs its checks each time you save your file (see 'workbook
help watch'). In a script or a pipe, it runs them once, as 'workbook run'.

A lesson can be named by number (7), name (n-plus-one) or folder
(07-n-plus-one). Run 'workbook help <command>' for more about a command.

Examples:
  %[2]s                     watch the lesson you are on
  %[2]s run 4               run lesson 4 once
  %[2]s run 7 -explain      list every statement your code ran
  %[2]s run 7 -latency 2ms  feel what 1 + N statements cost
  %[2]s hint                show the next hint for the lesson you are on
  %[2]s db 4                see lesson 4's tables, keys and row counts
  %[2]s sql 10              try a DELETE on lesson 10's data, and see what it changed
  %[2]s list                see where you are
`

// cmdHelp is workbook help.
var cmdHelp = &command{
	name:  "help",
	args:  "[command]",
	short: "show help for the workbook or one of its commands",
	long: `Help shows how to use the workbook, or with a command's name, that
command's usage and flags.`,
	run:     noFlags(runHelp),
	rawArgs: true,
}

// runHelp prints the workbook's help, or with a command's name, that
// command's.
func runHelp(e *env, args []string) int {
	switch len(args) {
	case 0:
		var b strings.Builder
		for _, c := range e.commands {
			fmt.Fprintf(&b, "  %-9s %s\n", c.name, c.short)
		}
		fmt.Fprintf(e.stdout, mainHelp, b.String(), e.self)
		return exitOK
	case 1:
		for _, c := range e.commands {
			if c.name == args[0] {
				c.help(e.stdout)
				return exitOK
			}
		}
		fmt.Fprintf(e.stderr, "workbook help: unknown command %q\nRun 'workbook help' for the commands.\n", args[0])
		return exitUsage
	}
	return e.usageError("too many arguments")
}
