// Command factforge generates synthetic fine-tuning datasets for research on how language models learn,
// mislearn and leak facts: deterministic, template-driven, with no language model in the loop.
//
// Usage:
//
//	factforge list
//	factforge generate <recipe> [flags]
//	factforge validate <dataset folder>
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/factforge/factforge/schemas"
	"github.com/urfave/cli/v2"
)

// Exit codes.
const (
	exitOK       = 0
	exitFailed   = 1 // the work failed, or validate found problems
	exitBadInput = 2 // bad flags, arguments or names: nothing was written
)

// usageError is bad input from the user; main exits with exitBadInput.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func badInput(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// gcPercent is the collector's target unless GOGC says otherwise: generation allocates little per row,
// so collecting at half the default growth costs little time and keeps peak memory closer to the live
// heap (measured: negation at 10^6 rows, 176 -> 134 MB, 6% more CPU; reversal unchanged).
const gcPercent = 50

// setGCPercent sets the collector's target to gcPercent, unless gogc (the GOGC variable) is set.
func setGCPercent(gogc string) {
	if gogc == "" {
		debug.SetGCPercent(gcPercent)
	}
}

func main() {
	setGCPercent(os.Getenv("GOGC"))
	ctx, stopped := onSignal(context.Background())
	code := runMain(ctx, os.Args, os.Stdout, os.Stderr)
	if sig := stopped(); sig != 0 {
		code = 128 + int(sig) // the shell's convention: 130 for SIGINT, 143 for SIGTERM
	}
	os.Exit(code)
}

// onSignal returns a context that SIGINT or SIGTERM cancels, with the signal as its cause, and a
// function that says which signal stopped the run (0 for none). After the first signal the defaults
// are back, so a second Ctrl-C ends a run that is slow to stop at once.
func onSignal(parent context.Context) (context.Context, func() syscall.Signal) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	var got atomic.Int32
	go func() {
		sig := (<-sigs).(syscall.Signal)
		signal.Stop(sigs)
		got.Store(int32(sig))
		cancel(fmt.Errorf("stopped by %v", sig))
	}()
	return ctx, func() syscall.Signal { return syscall.Signal(got.Load()) }
}

// runMain runs the command line args and returns the exit code; it is main without the process, for tests.
func runMain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	app := newApp(stdout, stderr)
	app.Metadata = map[string]any{"args": args}
	err := app.RunContext(ctx, flagsFirst(app.Commands, args))
	if err == nil {
		return exitOK
	}
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		err = context.Cause(ctx) // "stopped by interrupt" rather than "context canceled"
	}
	fmt.Fprintf(stderr, "factforge: %v\n", err)
	var ue usageError
	var me *schemas.ManifestError
	var ie *schemas.InputError
	if errors.As(err, &ue) || errors.As(err, &me) || errors.As(err, &ie) {
		return exitBadInput
	}
	return exitFailed
}

func newApp(stdout, stderr io.Writer) *cli.App {
	return &cli.App{
		Name:                 "factforge",
		Usage:                "generate deterministic synthetic fine-tuning datasets about facts",
		UsageText:            "factforge list\nfactforge generate reversal --facts-per-group 30 --seed 42\nfactforge validate out/reversal",
		Version:              versionString(),
		Writer:               stdout,
		ErrWriter:            stderr,
		Suggest:              true,
		EnableBashCompletion: true,
		HideHelpCommand:      true,
		OnUsageError:         onUsageError,
		ExitErrHandler:       func(*cli.Context, error) {}, // run prints errors and picks the exit code
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				name := c.Args().First()
				return badInput("no command %q. %s", name, suggestion(name, commandNames(c.App.Commands)))
			}
			return cli.ShowAppHelp(c)
		},
		Commands: []*cli.Command{newListCommand(), newGenerateCommand(), newValidateCommand(), newInitCommand(), newRegenerateCommand(), newCompletionCommand(), newPreviewCommand(), newStatsCommand(), newMergeCommand(), newAuditCommand(), newExportCommand(), newScoreCommand(), newCleanCommand()},
	}
}

// onUsageError turns a flag parsing error into one line instead of a help page, with the flag meant
// when one is close to a misspelt one ("--fact-per-group": did you mean "--facts-per-group"?).
func onUsageError(c *cli.Context, err error, _ bool) error {
	const undefined = "flag provided but not defined: -"
	if name, ok := strings.CutPrefix(err.Error(), undefined); ok && c != nil && c.Command != nil {
		name = strings.TrimLeft(name, "-")
		var names []string
		for _, f := range c.Command.Flags {
			for _, n := range f.Names() {
				if len(n) > 1 {
					names = append(names, n)
				}
			}
		}
		if s := suggestion(name, names); strings.HasPrefix(s, "Did you mean") {
			return badInput("flag --%s is not defined. Did you mean --%s?", name, strings.Trim(strings.TrimPrefix(s, "Did you mean "), `"?`))
		}
	}
	return usageError{err}
}

// flagsFirst moves the flags a command line gives after its positional arguments to before them, so
// that "factforge validate out/reversal --quiet" means what it says: the flag parser stops at the
// first argument. A flag's value moves with it, unless the flag is a switch (a BoolFlag) or carries
// its value after "="; "--" ends the flags.
func flagsFirst(cmds []*cli.Command, args []string) []string {
	if len(args) < 3 {
		return args
	}
	var cmd *cli.Command
	for _, c := range cmds {
		if c.HasName(args[1]) {
			cmd = c
		}
	}
	if cmd == nil || len(cmd.Subcommands) > 0 || slices.ContainsFunc(args[2:], func(a string) bool { return a == "-h" || a == "--help" || a == "-help" || a == completionFlag }) {
		return args
	}
	switches := map[string]bool{}
	for _, f := range cmd.Flags {
		if _, ok := f.(*cli.BoolFlag); ok {
			for _, n := range f.Names() {
				switches[n] = true
			}
		}
	}
	var flags, positional []string
	rest := args[2:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "--":
			positional = append(positional, rest[i:]...)
			i = len(rest)
		case strings.HasPrefix(a, "-") && len(a) > 1:
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && !switches[name] && i+1 < len(rest) {
				flags = append(flags, rest[i+1])
				i++
			}
		default:
			positional = append(positional, a)
		}
	}
	return append(append(append([]string{}, args[:2]...), flags...), positional...)
}

func commandNames(cmds []*cli.Command) []string {
	var names []string
	for _, c := range cmds {
		if !c.Hidden && c.Name != "help" {
			names = append(names, c.Name)
		}
	}
	return names
}

// suggestion returns `Did you mean "x"?` for the candidate closest to name, or the list of candidates
// when none is close (the suggester always picks one, however far).
func suggestion(name string, candidates []string) string {
	s := cli.SuggestCommand(commandsNamed(candidates), name)
	for _, c := range candidates {
		if c != name && s == fmt.Sprintf("Did you mean %q?", c) && len(name) >= 2 && commonPrefix(c, name) > 0 {
			return s
		}
	}
	return "Use one of: " + strings.Join(candidates, ", ")
}

// commonPrefix is how many bytes a and b share at their start.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func commandsNamed(names []string) []*cli.Command {
	out := make([]*cli.Command, len(names))
	for i, n := range names {
		out[i] = &cli.Command{Name: n}
	}
	return out
}
