package main

import (
	"fmt"
	"os"

	"github.com/factforge/factforge/schemas"
	"github.com/urfave/cli/v2"
)

func newCleanCommand() *cli.Command {
	return &cli.Command{
		Name:  "clean",
		Usage: "remove the staging folders that killed or crashed runs left in an output folder",
		UsageText: "factforge clean [--out DIR]\n\n" +
			"A run writes <out>/.<name>.partial-<random> and renames it into place when done; a run killed with\n" +
			"SIGKILL leaves it. clean removes those no running factforge is writing (the next run of a name does\n" +
			"too). Datasets are never touched.\n\nExample:\n   factforge clean --out out",
		OnUsageError: onUsageError,
		Flags:        []cli.Flag{&cli.StringFlag{Name: "out", Value: "out", Usage: "the output folder to clean"}},
		Action: func(c *cli.Context) error {
			if c.NArg() != 0 {
				return badInput("clean takes no arguments (name the folder with --out)")
			}
			out := c.String("out")
			if fi, err := os.Stat(out); err != nil || !fi.IsDir() {
				return badInput("--out %q is not a folder", out)
			}
			removed, busy, err := schemas.Clean(out)
			for _, p := range removed {
				fmt.Fprintf(c.App.Writer, "removed %s\n", p)
			}
			for _, name := range busy {
				fmt.Fprintf(c.App.Writer, "left %s: a run is writing it\n", name)
			}
			if err != nil {
				return err
			}
			if len(removed) == 0 && len(busy) == 0 {
				fmt.Fprintf(c.App.Writer, "%s: nothing to clean\n", out)
			}
			return nil
		},
	}
}
