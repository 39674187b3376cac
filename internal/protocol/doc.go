// Package protocol is the contract between a lesson's checks program and
// whoever runs it (`workbook run`, watch mode, `workbook dev` and
// `workbook grade`). It owns every part of that contract, and no other
// package spells one:
//
//   - [Env]: what the runner tells the program through its environment
//     (every WORKBOOK_ variable), with [Env.Environ] to write it and
//     [ParseEnv] to read it;
//   - [Record]: one JSON line of the results file the checker appends to, a
//     [Event] each: [EventStart] as a check begins, [EventVerdict] when it
//     ends, and in a graded run [EventRefused];
//   - [Verdict], [Failure] and [Status]: what a check decided, in fields a
//     reader shows as they are, never parses; [Kind] and [Part] for what
//     failed and for partial credit; the statuses a runner gives a check
//     the program never judged ([StatusCrashed], [StatusStopped],
//     [StatusNotRun], [StatusCompileError]);
//   - [Env.CheckAllowance] and [Env.RunAllowance]: how much longer checks
//     may take under a simulated latency;
//   - [Grading]: the hardened channel of a graded run (signed records, a
//     private folder for the key, the expected results and the data).
//
// The workbook command reads verdicts from the results file, never from
// what the test printed, so output written by learner code cannot change a
// verdict.
//
// In a graded run the channel is hardened further: see [Grading]. The
// records are signed with a key the checker takes, with the expected
// results and the seeded data, from a private folder it removes before any
// of the lesson's code runs; the grader rejects unsigned records and
// reports them, and the checker refuses to run a check that the lesson's
// own check files did not start.
//
// What this does not defend against: the learner's code runs in the same
// process as the checks, so code written on purpose to cheat with package
// unsafe, //go:linkname or cgo can read the key from memory or change the
// checker's state, and code that searches the disk can find the
// instructor's copy of the workbook. The grader flags such constructs in
// the learner's files for review (package workbook/internal/grade);
// isolation against them needs a process, user or container of its own.
package protocol
