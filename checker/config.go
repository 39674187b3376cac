package checker

import (
	"crypto/ed25519"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"workbook/checker/stmtlog"
	"workbook/internal/lesson"
	"workbook/internal/protocol"
)

// config is what runs need from their surroundings.
type config struct {
	seeds       *seedCache
	root        string         // the workbook's root, for showing paths
	repeatFor   time.Duration  // how long an ordered check's repeats may take; 0 means repeatFor
	lessonDir   string         // where expected/ lives
	lesson      *lesson.Lesson // nil outside a lesson's folder
	resultsFile string
	graded      *gradedRun // nil outside a graded run
	update      bool
	timeout     time.Duration // overrides Check.Timeout when > 0
	explain     bool          // keep whole statement logs
	latency     time.Duration // simulated round trip per statement
	scratch     string        // where the private copies go; "" for scratchDir()
	// learnerFiles are the absolute paths of the files the learner edits,
	// for finding their place in a panic's stack.
	learnerFiles []string
	// clock measures ExpectSpeed's runs; the zero clock means processClock.
	clock clock
	// sources are the learner's files, parsed to find the loops that
	// statements are sent from.
	sources sources
	// handle is the learner's handle, shared by every run (see
	// learnerHandle).
	handle handle
	// returned holds what the learner's code returned in earlier runs,
	// for telling a result kept from one of them (change.go).
	returned returnedResults
	held     heldResults
}

// What the program was told, read while this package initializes: a
// package's imports initialize before it, so all of this is read before
// the lesson's package (the learner's code) initializes, and that code
// cannot change how it is checked.
var (
	// startEnv is the runner's [protocol.Env], and startEnvErr says what
	// in it could not be read (reported by the first check).
	startEnv, startEnvErr = protocol.ParseEnv(os.Environ())
	// graded is what a grader handed over; nil outside a graded run.
	// gradedErr says why a graded run cannot go on.
	graded    *gradedRun
	gradedErr error
)

// graderKey is the public key, hex-encoded, of the grader that built this
// program, which workbook grade sets at link time (-X); empty in a program
// built any other way. A program that has one runs its checks only with a
// hand-over signed by that grader: code under check that starts the
// program again, with a hand-over of its own, to run a classmate's lesson
// on data it chose, gets no check run.
var graderKey string

// builtForGrading returns the grader's public key, or nil.
func builtForGrading() (ed25519.PublicKey, error) {
	if graderKey == "" {
		return nil, nil
	}
	b, err := hex.DecodeString(graderKey)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("checker: the grader's key built into this program is not an ed25519 public key")
	}
	return ed25519.PublicKey(b), nil
}

// init sets up the run, in this order, before any learner code runs:
//
//  1. In a graded run, it first makes the process not dumpable
//     (undumpable: no other process of the same user, a child the
//     learner's code starts among them, can read its memory, nor can it
//     open its own /proc/self/mem unless run as root), then reads the
//     grader's private folder (the key, the expected results, the data
//     sets), removes it and unsets the variable that named it, so that
//     the learner's code finds neither on disk nor in the environment.
//  2. It registers the counting driver, [DriverName], with the latency
//     the runner asked for, and guards go-sqlite3's own driver so that it
//     refuses a check's copy (see guardBareDriver).
func init() {
	key, keyErr := builtForGrading()
	switch {
	case keyErr != nil:
		gradedErr = keyErr
	case key != nil && startEnv.Grading == "":
		gradedErr = fmt.Errorf("checker: this program was built by workbook grade, and runs its checks only as workbook grade starts it")
	case startEnv.Grading != "":
		err := undumpable()
		os.Unsetenv(protocol.GradingVariable)
		graded, gradedErr = loadGraded(startEnv.Grading, key)
		if err != nil && gradedErr == nil {
			gradedErr = err
		}
	}
	sql.Register(DriverName, &stmtlog.Driver{LogFor: copies.logFor, Setup: learnerSetup, Latency: startEnv.Latency})
	guardBareDriver()
	// The seeded files are known before the learner's package initializes,
	// so that an init that opens one is refused and recorded too.
	if graded == nil && startEnvErr == nil {
		if dir, err := findDataDir("."); err == nil {
			markSeeded(dir)
		}
	}
}

var (
	defaultOnce sync.Once
	defaultCfg  *config
	defaultErr  error
)

// defaultConfig reads the surroundings of a check run by go test: the
// lesson's folder is the working directory. A graded run takes them from
// what the grader handed over instead.
func defaultConfig() (*config, error) {
	defaultOnce.Do(func() {
		switch {
		case gradedErr != nil:
			defaultErr = gradedErr
		case graded != nil:
			defaultCfg = graded.config()
		case startEnvErr != nil:
			defaultErr = startEnvErr
		default:
			defaultCfg, defaultErr = newConfig(".", startEnv)
		}
	})
	return defaultCfg, defaultErr
}

// newConfig returns the configuration of checks run in dir, as env asks.
func newConfig(dir string, env protocol.Env) (*config, error) {
	dataDir, err := findDataDir(dir)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	cfg := &config{
		seeds:       newSeedCache(dataDir),
		root:        filepath.Dir(dataDir),
		lessonDir:   abs,
		resultsFile: env.Results,
		update:      env.Update,
		explain:     env.Explain,
		latency:     env.Latency,
		timeout:     env.CheckTimeout,
		scratch:     env.Scratch,
	}
	if _, err := os.Stat(cfg.layout().ManifestPath()); err == nil {
		if cfg.lesson, err = lesson.Load(abs); err != nil {
			return nil, err
		}
		cfg.learnerFiles = cfg.lesson.LearnerPaths()
	}
	return cfg, nil
}

// scratchDir returns the folder the private copies go in.
func (cfg *config) scratchDir() string {
	if cfg.scratch != "" {
		return cfg.scratch
	}
	return scratchDir()
}

// checkTimeout returns how long check's body may run on one data set: its
// own limit or the runner's, and the allowance for a simulated latency.
func (cfg *config) checkTimeout(check Check) time.Duration {
	timeout := check.Timeout
	if cfg.timeout > 0 {
		timeout = cfg.timeout
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return timeout + protocol.Env{Latency: cfg.latency}.CheckAllowance()
}
