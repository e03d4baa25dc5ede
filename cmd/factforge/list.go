package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipes"
	"github.com/urfave/cli/v2"
)

func newListCommand() *cli.Command {
	return &cli.Command{
		Name:         "list",
		Usage:        "list the recipes and the paper each reproduces",
		UsageText:    "factforge list [--json]\n\nExample:\n   factforge list   # then: factforge generate <recipe> --help",
		Flags:        []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "write the recipes as JSON: name, paper, summary, default style, example"}},
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return badInput("list takes no arguments")
			}
			if c.Bool("json") {
				type entry struct {
					Name    string `json:"name"`
					Paper   string `json:"paper"`
					Summary string `json:"summary"`
					Style   string `json:"default_style"`
					Example string `json:"example"`
				}
				var out []entry
				for _, r := range recipes.All() {
					out = append(out, entry{r.Name(), r.Paper(), r.Summary(), generators.DefaultStyle(r), "factforge generate " + r.Name() + " " + generators.Example(r)})
				}
				return writeJSON(c.App.Writer, out)
			}
			tw := tabwriter.NewWriter(c.App.Writer, 0, 4, 2, ' ', 0)
			for _, r := range recipes.All() {
				fmt.Fprintf(tw, "%s\t%s\n", r.Name(), r.Paper())
			}
			return tw.Flush()
		},
	}
}

// writeJSON writes v as indented JSON and a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
