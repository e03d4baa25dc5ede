package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/factforge/factforge/schemas/export"
	"github.com/urfave/cli/v2"
)

// exportTarget is one value of export --for: a tool whose layout export writes a dataset in.
type exportTarget struct {
	name string
	doc  string
	run  func(c *cli.Context, dataset, out string) error
}

// exportTargets lists every value of --for, one line per target.
var exportTargets = []exportTarget{
	{"openai", "OpenAI fine-tuning files: chat examples or DPO pairs, under 512 MB each", runProviderExport("openai")},
	{"azure", "Azure OpenAI fine-tuning files: OpenAI's, UTF-8 with a byte-order mark, under 512 MB each", runProviderExport("azure")},
	{"together", "Together AI fine-tuning files: messages, prompt/completion, DPO pairs or text", runProviderExport("together")},
	{"axolotl", "Axolotl datasets: chat_template, input_output or completion, with a datasets: block", runProviderExport("axolotl")},
}

func exportTargetNames() []string {
	names := make([]string, len(exportTargets))
	for i, t := range exportTargets {
		names[i] = t.name
	}
	return names
}

func newExportCommand() *cli.Command {
	var targets strings.Builder
	for _, t := range exportTargets {
		fmt.Fprintf(&targets, "\n   %-9s %s", t.name, t.doc)
	}
	return &cli.Command{
		Name:  "export",
		Usage: "write a dataset in the layout another tool reads: a fine-tuning provider's training files",
		UsageText: "factforge export --for <target> <dataset folder> --out <folder> [--force]\n\nTargets:" + targets.String() +
			"\n\nExample:\n   factforge export --for openai out/backdoor --out out/backdoor-openai",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "for", Usage: "the target: " + strings.Join(exportTargetNames(), ", ")},
			&cli.StringFlag{Name: "out", Usage: "the folder to write (it must not exist, unless --force replaces an earlier export)"},
			&cli.BoolFlag{Name: "force", Usage: "replace an earlier export at --out (a folder holding export.json; never anything else)"},
			&cli.BoolFlag{Name: "join", Usage: "write every training split into one file set (train-00000.jsonl, ...), split after split, instead of one set per split"},
			&cli.StringSliceFlag{Name: "validation", Usage: "eval splits to write as a validation file (validation-00000.jsonl), probes as examples: the prompt, and the answer as the reply (comma-separated, in this order)"},
			&cli.Int64Flag{Name: "max-bytes", Hidden: true, Usage: "a file size limit below the provider's, for tests"},
		},
		OnUsageError: onUsageError,
		BashComplete: func(c *cli.Context) {
			if completingValueOf(rawArgs(c)) == "for" {
				fmt.Fprintln(c.App.Writer, strings.Join(exportTargetNames(), "\n"))
				return
			}
			completeDatasets(c)
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return badInput("export takes one dataset folder")
			}
			name := c.String("for")
			if name == "" {
				return badInput("export needs --for: one of %s", strings.Join(exportTargetNames(), ", "))
			}
			if c.String("out") == "" {
				return badInput("export needs --out, the folder to write")
			}
			if c.Int64("max-bytes") < 0 {
				return badInput("--max-bytes must be positive")
			}
			for _, t := range exportTargets {
				if t.name == name {
					return t.run(c, c.Args().First(), c.String("out"))
				}
			}
			return badInput("unknown --for %q. %s", name, suggestion(name, exportTargetNames()))
		},
	}
}

// runProviderExport exports for a fine-tuning provider and prints one line per file written.
func runProviderExport(provider string) func(c *cli.Context, dataset, out string) error {
	return func(c *cli.Context, dataset, out string) error {
		rec, err := export.Export(c.Context, dataset, out, export.Options{Provider: provider, Force: c.Bool("force"), MaxBytes: c.Int64("max-bytes"), Join: c.Bool("join"), Validation: c.StringSlice("validation")})
		var refused *export.RefusedError
		if errors.As(err, &refused) {
			return usageError{err}
		}
		if err != nil {
			return err
		}
		w := c.App.Writer
		fmt.Fprintf(w, "%s: %s rows as %s for %s", out, rec.Style, rec.Form, rec.Provider)
		if rec.MaxBytes > 0 {
			fmt.Fprintf(w, ", files under %d bytes", rec.MaxBytes)
		}
		fmt.Fprintln(w)
		for _, f := range rec.Files {
			splits := make([]string, len(f.Splits))
			for i, s := range f.Splits {
				splits[i] = f.Config + "/" + s
			}
			fmt.Fprintf(w, "  %s  %d rows, %d bytes (%s: %s); provenance %s\n", f.Path, f.Rows, f.Bytes, f.Use, strings.Join(splits, ", "), f.Provenance)
		}
		for _, n := range rec.Notes {
			fmt.Fprintf(w, "  note: %s\n", n)
		}
		return nil
	}
}
