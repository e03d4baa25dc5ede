package main

import (
	"fmt"

	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/schemas/audit"
	"github.com/urfave/cli/v2"
)

func newAuditCommand() *cli.Command {
	return &cli.Command{
		Name:  "audit",
		Usage: "measure a dataset's validity on its text: probes leaked into train, answer shortcuts, duplication, text lint",
		UsageText: "factforge audit [--json] [--strict] <dataset folder> [<dataset folder>...]\n\n" +
			"Example:\n   factforge audit out/reversal\n   factforge audit --json out/negation > audit.json",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "write every figure as JSON instead of the summary"},
			&cli.BoolFlag{Name: "strict", Usage: "treat warnings as errors (exit 1 on any)"},
		},
		OnUsageError: onUsageError,
		BashComplete: completeDatasets,
		Action: func(c *cli.Context) error {
			if !c.Args().Present() {
				return badInput("audit takes one or more dataset folders, after the flags")
			}
			for _, dir := range c.Args().Slice() {
				if _, err := schemas.ReadManifest(dir); err != nil {
					return usageError{err}
				}
			}
			report, err := audit.Audit(c.Context, c.Args().Slice(), audit.Options{Strict: c.Bool("strict")})
			if err != nil {
				return err
			}
			if c.Bool("json") {
				err = report.WriteJSON(c.App.Writer)
			} else {
				err = report.WriteText(c.App.Writer)
			}
			if err != nil {
				return err
			}
			if n := report.Errors(); n > 0 {
				return fmt.Errorf("audit found %d error(s)", n)
			}
			return nil
		},
	}
}
