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
		UsageText: "factforge validate <dataset folder> [--quiet]\n\n" +
			"Example:\n   factforge validate out/reversal --quiet   # exit 0 and nothing printed when it holds",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing when the dataset holds (problems are still printed)"},
			&cli.BoolFlag{Name: "json", Usage: "write the result as JSON: ok, the problems, and the counts checked"}},
		Description: "Reads the manifest (its counts, shard and rules must be well formed: exit 2 if not), then checks the dataset " +
			"against it: every file's sha256, size and row count, each file's schema, that Parquet and JSONL hold the same rows " +
			"in the same order, that no file is present the manifest does not list, that the card (README.md) has its hash, " +
			"the front matter and the version, recipe and seed the manifest makes, and every rule the manifest states. Then it " +
			"plans the dataset again from the manifest's config and checks the manifest against that plan: recipe and seed, " +
			"configs, columns, splits, every split's row count, file paths, rules (any missing, changed or added) and figures. " +
			"Prints each problem and exits 1 if there is any. Changed text with every hash fixed is found only by regenerate.",
		OnUsageError: onUsageError,
		BashComplete: completeDatasets,
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return badInput("validate takes one dataset folder, got %d arguments", c.NArg())
			}
			dir := c.Args().First()
			if c.Bool("json") {
				return validateJSON(c, dir)
			}
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
			if c.Bool("quiet") {
				return nil
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

// problemsOf validates the dataset in dir against its manifest and against its plan made again: the
// problems, a note on the check against the plan ("" for none), and the manifest.
func problemsOf(c *cli.Context, dir string) ([]string, string, *schemas.Manifest, error) {
	problems, err := schemas.Validate(c.Context, dir)
	if err != nil {
		return nil, "", nil, err
	}
	m, err := schemas.ReadManifest(dir)
	if err != nil {
		return nil, "", nil, err
	}
	derived, note, err := run.CheckDerived(c.Context, m, recipes.Lookup)
	if err != nil {
		return nil, "", nil, fmt.Errorf("%s: validation stopped: %w", dir, err)
	}
	var out []string
	for _, p := range append(problems, derived...) {
		out = append(out, fmt.Sprint(p))
	}
	return out, note, m, nil
}

// validateJSON writes validate's result as JSON; exit 1 when there are problems, as without --json.
func validateJSON(c *cli.Context, dir string) error {
	problems, note, m, err := problemsOf(c, dir)
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
	if problems == nil {
		problems = []string{}
	}
	if err := writeJSON(c.App.Writer, map[string]any{"dataset": dir, "ok": len(problems) == 0, "problems": problems, "note": note,
		"recipe": m.Recipe, "files": files, "rows": rows, "rules": len(m.Rules)}); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s: %d problems", dir, len(problems))
	}
	return nil
}

// reportProblems validates the dataset in dir and prints each problem on stderr; the error it returns
// counts them, after prefix ("merged, but ").
func reportProblems(c *cli.Context, dir, prefix string) error {
	problems, note, _, err := problemsOf(c, dir)
	if err != nil {
		return err
	}
	if note != "" {
		fmt.Fprintf(c.App.ErrWriter, "%s: note: %s\n", dir, note)
	}
	for _, p := range problems {
		fmt.Fprintf(c.App.ErrWriter, "%s: %s\n", dir, p)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s: %s%d problems", dir, prefix, len(problems))
	}
	return nil
}
