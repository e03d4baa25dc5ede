package main

import (
	"fmt"

	"github.com/factforge/factforge/schemas"
	"github.com/urfave/cli/v2"
)

func newStatsCommand() *cli.Command {
	return &cli.Command{
		Name:         "stats",
		Usage:        "describe a dataset: counts per provenance value, lengths, vocabulary, duplicates, the recipe's figures",
		UsageText:    "factforge stats <dataset folder> [--json]\n\nExample:\n   factforge stats out/backdoor",
		Flags:        []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "write the figures as JSON: the manifest's stats and each split's counts, lengths and values"}},
		OnUsageError: onUsageError,
		BashComplete: completeDatasets,
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return badInput("stats takes one dataset folder")
			}
			m, splits, err := schemas.Stats(c.Context, c.Args().First())
			if err != nil {
				return err
			}
			w := c.App.Writer
			if c.Bool("json") {
				return writeJSON(w, map[string]any{"dataset": c.Args().First(), "recipe": m.Recipe, "seed": m.Seed, "version": m.Version, "stats": m.Stats, "splits": splits})
			}
			fmt.Fprintf(w, "%s: recipe %s, seed %d, factforge %s\n", c.Args().First(), m.Recipe, m.Seed, m.Version)
			for _, s := range m.Stats {
				fmt.Fprintf(w, "  %s: %d (%s)\n", s.Name, s.Value, s.Doc)
			}
			for _, s := range splits {
				fmt.Fprint(w, s.Summary())
			}
			return nil
		},
	}
}
