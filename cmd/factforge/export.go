package main

import (
	"fmt"
	"strings"

	"github.com/factforge/factforge/schemas/export"
	"github.com/urfave/cli/v2"
)

func newExportCommand() *cli.Command {
	var targets []string
	for _, t := range export.Targets {
		targets = append(targets, fmt.Sprintf("   %-8s %s", t.Name, t.Doc))
	}
	return &cli.Command{
		Name:  "export",
		Usage: "write a dataset in the layout another tool reads: an lm-evaluation-harness task folder, or a fine-tuning provider's training files",
		UsageText: "factforge export --for TARGET <dataset folder> --out FOLDER [--force]\n\n" +
			"Targets:\n" + strings.Join(targets, "\n") + "\n\n" +
			"Example:\n   factforge export --for lm-eval out/reversal --out tasks/reversal\n   lm_eval --model hf --model_args pretrained=<model> --include_path tasks/reversal --tasks reversal\n   factforge export --for openai out/backdoor --out out/backdoor-openai",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "for", Usage: "the layout to write: " + strings.Join(export.Names(), ", ")},
			&cli.StringFlag{Name: "out", Usage: "the folder to write (it must not exist, unless --force)"},
			&cli.BoolFlag{Name: "force", Usage: "replace an earlier export at --out"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing on success"},
			&cli.BoolFlag{Name: "join", Usage: "providers: write every training split into one file set (train-00000.jsonl, ...), split after split, instead of one set per split"},
			&cli.StringSliceFlag{Name: "validation", Usage: "providers: eval splits to write as a validation file (validation-00000.jsonl), probes as examples: the prompt, and the answer as the reply (comma-separated, in this order)"},
			&cli.Int64Flag{Name: "max-bytes", Hidden: true, Usage: "a file size limit below the provider's, for tests"},
		},
		OnUsageError: onUsageError,
		BashComplete: completeExport,
		Action: func(c *cli.Context) error {
			switch {
			case c.NArg() != 1:
				return badInput("export takes one dataset folder")
			case c.String("for") == "":
				return badInput("export needs --for: %s", strings.Join(export.Names(), ", "))
			case c.String("out") == "":
				return badInput("export needs --out, the folder to write")
			}
			target, err := export.Find(c.String("for"))
			if err != nil {
				return badInput("no export target %q. %s", c.String("for"), suggestion(c.String("for"), export.Names()))
			}
			opts := export.Options{Force: c.Bool("force"), MaxBytes: c.Int64("max-bytes"), Join: c.Bool("join"), Validation: c.StringSlice("validation")}
			dir, summary, err := export.Export(c.Context, target, c.Args().First(), c.String("out"), opts)
			if err != nil {
				return err
			}
			if !c.Bool("quiet") {
				fmt.Fprintf(c.App.Writer, "wrote %s: %s export of %s\n", dir, target.Name, c.Args().First())
				for _, line := range summary {
					fmt.Fprintln(c.App.Writer, line)
				}
			}
			return nil
		},
	}
}

// completeExport offers the targets after --for, and dataset folders otherwise.
func completeExport(c *cli.Context) {
	if completingValueOf(rawArgs(c)) == "for" {
		fmt.Fprintln(c.App.Writer, strings.Join(export.Names(), "\n"))
		return
	}
	completeDatasets(c)
}
