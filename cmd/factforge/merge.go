package main

import (
	"errors"
	"fmt"

	"github.com/factforge/factforge/generators/recipes"
	"github.com/factforge/factforge/generators/run"
	"github.com/urfave/cli/v2"
)

func newMergeCommand() *cli.Command {
	return &cli.Command{
		Name:  "merge",
		Usage: "assemble the shard folders of one dataset (from --shard runs) into the dataset, and validate it",
		UsageText: "factforge merge [--out DIR] [--name NAME] <shard folders...>\n\n" +
			"Example:\n   factforge merge --out out out/reversal.shard-*",
		Flags:        outputFlags("dataset name (default: the shards' name)"),
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			if !c.Args().Present() {
				return badInput("merge takes the shard folders, after the flags")
			}
			dir, err := run.Merge(c.Context, c.Args().Slice(), c.String("out"), c.String("name"), c.Bool("force"), recipes.Lookup)
			if err != nil {
				return err
			}
			if err := reportProblems(c, dir, "merged, but "); err != nil {
				if ctxErr := c.Context.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
					// The merged dataset stays: only its validation was cut short.
					return fmt.Errorf("merged into %s, but not validated: %w", dir, err)
				}
				return err
			}
			if !c.Bool("quiet") {
				fmt.Fprintf(c.App.Writer, "%s: merged %d shards; valid\n", dir, c.NArg())
			}
			return nil
		},
	}
}

// outputFlags are the flags of commands that write a dataset from other datasets.
func outputFlags(nameUsage string) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "out", Value: "out", Usage: "folder to write the dataset under"},
		&cli.StringFlag{Name: "name", Usage: nameUsage},
		&cli.BoolFlag{Name: "force", Usage: "replace an existing dataset of that name"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing on success"},
	}
}
