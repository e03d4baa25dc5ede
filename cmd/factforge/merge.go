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
		Usage: "assemble the shard folders of one dataset (from --shard runs) into the dataset, validated before it is put in place",
		UsageText: "factforge merge [--out DIR] [--name NAME] <shard folders...>\n\n" +
			"Example:\n   factforge merge --out out out/reversal.shard-*",
		Flags:        outputFlags("dataset name (default: the shards' name)"),
		OnUsageError: onUsageError,
		BashComplete: completeDatasets,
		Action: func(c *cli.Context) error {
			if !c.Args().Present() {
				return badInput("merge takes the shard folders, after the flags")
			}
			dir, err := run.Merge(c.Context, c.Args().Slice(), c.String("out"), c.String("name"), c.Bool("force"), recipes.Lookup)
			var ce run.ConfigError
			var problems *run.Problems
			switch {
			case errors.As(err, &ce):
				return usageError{err}
			case errors.As(err, &problems):
				for _, p := range problems.Problems {
					fmt.Fprintf(c.App.ErrWriter, "%s: %s\n", problems.Dir, p)
				}
				return err
			case err != nil:
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
