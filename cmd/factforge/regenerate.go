package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/schemas"
	"github.com/urfave/cli/v2"
)

func newRegenerateCommand() *cli.Command {
	return &cli.Command{
		Name:  "regenerate",
		Usage: "generate a dataset again from its manifest and check that every file is byte-identical",
		UsageText: "factforge regenerate [--out DIR] [--name NAME] <dataset folder>\n\n" +
			"Example:\n   factforge regenerate --out /tmp/check out/reversal",
		Flags: append(outputFlags("name of the copy (default: <name>-regenerated)"),
			&cli.IntFlag{Name: "workers", Usage: "generating goroutines (0: one per core)"}),
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return badInput("regenerate takes one dataset folder, after the flags: factforge regenerate [--out DIR] <folder>")
			}
			dir := c.Args().First()
			m, err := schemas.ReadManifest(dir)
			if err != nil {
				return err
			}
			var cfg generators.Config
			if err := json.Unmarshal(m.Config, &cfg); err != nil {
				return fmt.Errorf("%s: config: %w", dir, err)
			}
			if m.Version != generators.Version {
				fmt.Fprintf(c.App.ErrWriter, "note: %s was made by factforge %s, this is %s; files may differ\n", dir, m.Version, generators.Version)
			}
			original := cfg.Name
			cfg.Name = c.String("name")
			if cfg.Name == "" {
				cfg.Name = original + "-regenerated"
			}
			if err := runGenerate(c, &cfg, cfg.Options); err != nil {
				return err
			}
			copyDir := filepath.Join(c.String("out"), cfg.Name)
			copied, err := schemas.ReadManifest(copyDir)
			if err != nil {
				return err
			}
			want := map[string]string{}
			for _, fe := range files(m) {
				want[fe.Path] = fe.SHA256
			}
			differ := 0
			for _, fe := range files(copied) {
				if want[fe.Path] != fe.SHA256 {
					fmt.Fprintf(c.App.ErrWriter, "%s: differs from %s\n", fe.Path, dir)
					differ++
				}
				delete(want, fe.Path)
			}
			if differ > 0 || len(want) > 0 {
				return fmt.Errorf("%s is not reproduced: %d files differ, %d missing", dir, differ, len(want))
			}
			if !c.Bool("quiet") {
				fmt.Fprintf(c.App.Writer, "%s: every data file reproduced byte for byte in %s\n", dir, copyDir)
			}
			return nil
		},
	}
}

func files(m *schemas.Manifest) []schemas.FileEntry {
	var out []schemas.FileEntry
	for _, c := range m.Configs {
		for _, sp := range c.Splits {
			out = append(out, sp.Files...)
		}
	}
	return out
}
