package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/schemas"
	"github.com/urfave/cli/v2"
)

func newRegenerateCommand() *cli.Command {
	return &cli.Command{
		Name:  "regenerate",
		Usage: "generate a dataset again from its manifest and check that every data file is byte-identical to the dataset's own",
		UsageText: "factforge regenerate [--out DIR] [--name NAME] <dataset folder>\n\n" +
			"Example:\n   factforge regenerate --out /tmp/check out/reversal",
		Flags: append(outputFlags("name of the copy (default: <name>-regenerated)"),
			&cli.IntFlag{Name: "workers", Usage: "generating goroutines (0: one per core)"}),
		OnUsageError: onUsageError,
		BashComplete: completeDatasets,
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
				return &schemas.ManifestError{Path: filepath.Join(dir, schemas.ManifestName), Err: fmt.Errorf("config: %w", err)}
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
			// The dataset's own files, not the hashes its manifest states: a file changed with its hash
			// fixed in the manifest differs here too.
			listed := map[string]bool{}
			for _, fe := range files(m) {
				listed[fe.Path] = true
			}
			differ, missing := 0, 0
			for _, fe := range files(copied) {
				if !listed[fe.Path] {
					fmt.Fprintf(c.App.ErrWriter, "%s: made again, but %s does not list it\n", fe.Path, dir)
					missing++
					continue
				}
				delete(listed, fe.Path)
				same, where, err := sameFile(c.Context, filepath.Join(dir, filepath.FromSlash(fe.Path)), filepath.Join(copyDir, filepath.FromSlash(fe.Path)))
				switch {
				case err != nil && c.Context.Err() != nil:
					return err
				case err != nil:
					fmt.Fprintf(c.App.ErrWriter, "%s: %v\n", fe.Path, err)
					differ++
				case !same:
					fmt.Fprintf(c.App.ErrWriter, "%s: differs from %s's, first at byte %d\n", fe.Path, dir, where)
					differ++
				}
			}
			for _, fe := range files(m) {
				if listed[fe.Path] {
					fmt.Fprintf(c.App.ErrWriter, "%s: in %s, but not made again\n", fe.Path, dir)
					missing++
				}
			}
			if differ > 0 || missing > 0 {
				return fmt.Errorf("%s is not reproduced: %d files differ, %d are not in both", dir, differ, missing)
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

// sameFile compares two files byte for byte (both must be regular files), until ctx ends. When they
// differ, where is the offset of the first byte that differs (or the shorter file's length).
func sameFile(ctx context.Context, a, b string) (same bool, where int64, err error) {
	fa, err := schemas.OpenRegular(a)
	if err != nil {
		return false, 0, err
	}
	defer fa.Close()
	fb, err := schemas.OpenRegular(b)
	if err != nil {
		return false, 0, err
	}
	defer fb.Close()
	ra, rb := bufio.NewReaderSize(schemas.ContextReader{Ctx: ctx, R: fa}, 1<<20), bufio.NewReaderSize(schemas.ContextReader{Ctx: ctx, R: fb}, 1<<20)
	bufA, bufB := make([]byte, 1<<16), make([]byte, 1<<16)
	for {
		na, errA := io.ReadFull(ra, bufA)
		nb, errB := io.ReadFull(rb, bufB)
		for i := range min(na, nb) {
			if bufA[i] != bufB[i] {
				return false, where + int64(i), nil
			}
		}
		if na != nb {
			return false, where + int64(min(na, nb)), nil
		}
		where += int64(na)
		endA := errA == io.EOF || errA == io.ErrUnexpectedEOF
		endB := errB == io.EOF || errB == io.ErrUnexpectedEOF
		switch {
		case errA != nil && !endA:
			return false, 0, errA
		case errB != nil && !endB:
			return false, 0, errB
		case endA || endB:
			return endA && endB, where, nil
		}
	}
}
