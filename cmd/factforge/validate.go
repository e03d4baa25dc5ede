package main

import (
	"fmt"

	"github.com/factforge/factforge/generators/recipes"
	"github.com/factforge/factforge/generators/run"
	"github.com/factforge/factforge/schemas"
	"github.com/urfave/cli/v2"
)

func newValidateCommand() *cli.Command {
	return &cli.Command{
		Name:  "validate",
		Usage: "check a dataset against its manifest and its recipe's rules",
		UsageText: "factforge validate <dataset folder>\n\n" +
			"Example:\n   factforge validate out/reversal",
		Description: "Reads the manifest (its counts, shard and rules must be well formed: exit 2 if not), then checks the dataset " +
			"against it: every file's sha256, size and row count, each file's schema, that Parquet and JSONL hold the same rows " +
			"in the same order, that no file is present the manifest does not list, that the card (README.md) has its hash, " +
			"the front matter and the version, recipe and seed the manifest makes, and every rule the manifest states. Then it " +
			"plans the dataset again from the manifest's config and checks the manifest against that plan: recipe and seed, " +
			"configs, columns, splits, every split's row count, file paths, rules (any missing, changed or added) and figures. " +
			"Prints each problem and exits 1 if there is any. Changed text with every hash fixed is found only by regenerate.",
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return badInput("validate takes one dataset folder, got %d arguments", c.NArg())
			}
			dir := c.Args().First()
			if err := reportProblems(c, dir, ""); err != nil {
				return err
			}
			m, err := schemas.ReadManifest(dir)
			if err != nil {
				return err
			}
			var files, rows int64
			for _, cf := range m.Configs {
				for _, sp := range cf.Splits {
					files += int64(len(sp.Files))
					rows += sp.Rows
				}
			}
			checked, forAudit := 0, 0
			for _, r := range m.Rules {
				if r.ForAudit() {
					forAudit++
				} else {
					checked++
				}
			}
			fmt.Fprintf(c.App.Writer, "%s: ok (%s recipe, %d files, %d rows, %d rules hold", dir, m.Recipe, files, rows, checked)
			if forAudit > 0 {
				fmt.Fprintf(c.App.Writer, "; %d more are factforge audit's to measure", forAudit)
			}
			fmt.Fprintln(c.App.Writer, ")")
			return nil
		},
	}
}

// reportProblems validates the dataset in dir and prints each problem on stderr; the error it returns
// counts them, after prefix ("merged, but ").
func reportProblems(c *cli.Context, dir, prefix string) error {
	problems, err := schemas.Validate(c.Context, dir)
	if err != nil {
		return err
	}
	m, err := schemas.ReadManifest(dir)
	if err != nil {
		return err
	}
	derived, note, err := run.CheckDerived(c.Context, m, recipes.Lookup)
	if err != nil {
		return fmt.Errorf("%s: validation stopped: %w", dir, err)
	}
	if note != "" {
		fmt.Fprintf(c.App.ErrWriter, "%s: note: %s\n", dir, note)
	}
	problems = append(problems, derived...)
	for _, p := range problems {
		fmt.Fprintf(c.App.ErrWriter, "%s: %s\n", dir, p)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s: %s%d problems", dir, prefix, len(problems))
	}
	return nil
}
