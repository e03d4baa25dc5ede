package main

import (
	"fmt"
	"os"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipes"
	"github.com/urfave/cli/v2"
)

func newInitCommand() *cli.Command {
	return &cli.Command{
		Name:         "init",
		Usage:        "write a commented recipe file with every option of a recipe at its default",
		UsageText:    "factforge init <recipe> [-o FILE]\n\nExample:\n   factforge init reversal -o reversal.yaml && factforge generate -c reversal.yaml",
		Flags:        []cli.Flag{&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "file to write (default: standard output); an existing file is not replaced"}},
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return badInput("init takes one recipe name")
			}
			r, err := recipes.Lookup(c.Args().First())
			if err != nil {
				return usageError{err}
			}
			text := generators.ExampleRecipeFile(r)
			path := c.String("output")
			if path == "" {
				_, err := fmt.Fprint(c.App.Writer, text)
				return err
			}
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if err != nil {
				return usageError{fmt.Errorf("cannot write %s: %w", path, err)}
			}
			if _, err := f.WriteString(text); err != nil {
				f.Close()
				os.Remove(path)
				return err
			}
			return f.Close()
		},
	}
}
