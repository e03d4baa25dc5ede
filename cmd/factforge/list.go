package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/factforge/factforge/generators/recipes"
	"github.com/urfave/cli/v2"
)

func newListCommand() *cli.Command {
	return &cli.Command{
		Name:         "list",
		Usage:        "list the recipes and the paper each reproduces",
		UsageText:    "factforge list\n\nExample:\n   factforge list   # then: factforge generate <recipe> --help",
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return badInput("list takes no arguments")
			}
			tw := tabwriter.NewWriter(c.App.Writer, 0, 4, 2, ' ', 0)
			for _, r := range recipes.All() {
				fmt.Fprintf(tw, "%s\t%s\n", r.Name(), r.Paper())
			}
			return tw.Flush()
		},
	}
}
