package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipes"
	"github.com/factforge/factforge/generators/run"
	"github.com/factforge/factforge/schemas"
	"github.com/mitchellh/go-wordwrap"
	"github.com/urfave/cli/v2"
)

func newPreviewCommand() *cli.Command {
	cmd := &cli.Command{
		Name:         "preview",
		Usage:        "show the first rows of every config and split of a recipe, without writing files",
		UsageText:    "factforge preview <recipe> [flags]\n\nExample:\n   factforge preview negation --claim-count 1 --show 1",
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			return badInput("preview needs a recipe: factforge preview <recipe> [flags]")
		},
	}
	for _, r := range recipes.All() {
		flags, _ := recipeFlags(r)
		flags = append(flags, &cli.IntFlag{Name: "show", Value: 2, Usage: "rows to show of each split", Category: globalCategory})
		cmd.Subcommands = append(cmd.Subcommands, &cli.Command{
			Name:         r.Name(),
			Usage:        "preview " + r.Name(),
			Flags:        flags,
			OnUsageError: onUsageError,
			Action: func(c *cli.Context) error {
				cfg, set, err := recipeConfig(c, r)
				if err != nil {
					return usageError{err}
				}
				if c.Int("show") < 1 {
					return badInput("--show must be at least 1")
				}
				plan, err := run.Prepare(c.Context, r, cfg, set)
				if err != nil {
					return usageError{err}
				}
				printPreview(c.App.Writer, plan, run.PreviewRows(plan, int64(c.Int("show"))))
				return nil
			},
		})
	}
	return cmd
}

// content columns are shown as wrapped paragraphs; the others on one line of key=value.
var contentColumns = map[string]bool{"text": true, "prompt": true, "completion": true, "answer": true, "messages": true, "question": true}

func printPreview(w io.Writer, plan *generators.Plan, rows [][][]schemas.Row) {
	for c, pc := range plan.Configs {
		cols := pc.Layout.Schema.Columns
		for s, ps := range pc.Splits {
			fmt.Fprintf(w, "== %s/%s: %d rows ==\n", pc.Name, ps.Name, ps.Rows)
			for i, row := range rows[c][s] {
				var meta []string
				for j, col := range cols {
					if col.Name == "id" || contentColumns[col.Name] {
						continue
					}
					if v := row[j].Text(col.Type); v != "" && v != "[]" {
						meta = append(meta, col.Name+"="+v)
					}
				}
				fmt.Fprintf(w, "[%d] %s\n", i, strings.Join(meta, " "))
				for j, col := range cols {
					switch {
					case schemas.IsChat(col.Type):
						for _, m := range row[j].Msgs {
							printWrapped(w, m.Role+": ", m.Content)
						}
					case contentColumns[col.Name]:
						printWrapped(w, col.Name+": ", row[j].Str)
					}
				}
			}
			fmt.Fprintln(w)
		}
	}
}

func printWrapped(w io.Writer, label, text string) {
	indent := "    "
	for k, para := range strings.Split(wordwrap.WrapString(text, 96), "\n") {
		if k == 0 {
			fmt.Fprintf(w, "%s%s%s\n", indent, label, para)
		} else {
			fmt.Fprintf(w, "%s%s%s\n", indent, strings.Repeat(" ", len(label)), para)
		}
	}
}
