package run

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/schemas"
)

// Merge assembles the shard folders of one dataset into the dataset out/name: it checks that they are
// the shards 0..n-1 of one config made by one version, links or copies their data files, and writes
// the combined manifest and card. The result is the single-machine dataset split into n files per
// split; it appears whole or not at all. lookup finds the recipe named in the manifests, for the card.
// Merge stops when ctx ends, leaving nothing. It returns the dataset's folder.
func Merge(ctx context.Context, dirs []string, out, name string, force bool, lookup generators.Lookup) (string, error) {
	if len(dirs) == 0 {
		return "", fmt.Errorf("merge needs the shard folders")
	}
	shards := make([]*schemas.Manifest, len(dirs))
	var first *schemas.Manifest
	for _, dir := range dirs {
		m, err := schemas.ReadManifest(dir)
		if err != nil {
			return "", err
		}
		if m.Shard == nil {
			return "", fmt.Errorf("%s is not a shard (its manifest has no shard)", dir)
		}
		if first == nil {
			first = m
			if len(dirs) != m.Shard.Count {
				return "", fmt.Errorf("%d folders given for %d shards", len(dirs), m.Shard.Count)
			}
		}
		if m.Shard.Count != first.Shard.Count || !bytes.Equal(m.Config, first.Config) || m.Version != first.Version {
			return "", fmt.Errorf("%s is a shard of another dataset (config, version or shard count differ from %s)", dir, dirs[0])
		}
		if shards[m.Shard.Index] != nil {
			return "", fmt.Errorf("shard %d is given twice", m.Shard.Index)
		}
		shards[m.Shard.Index] = m
	}
	var cfg generators.Config
	if err := json.Unmarshal(first.Config, &cfg); err != nil {
		return "", err
	}
	if name == "" {
		name = cfg.Name
	}
	recipe, err := lookup(cfg.Recipe)
	if err != nil {
		return "", err
	}
	ds, err := schemas.CreateDataset(out, name, force)
	if err != nil {
		return "", err
	}
	defer ds.Abort()
	merged := *first
	merged.Shard = nil
	merged.Configs = nil
	dirOf := map[*schemas.Manifest]string{}
	for _, dir := range dirs {
		m, _ := schemas.ReadManifest(dir)
		dirOf[shards[m.Shard.Index]] = dir
	}
	for c, conf := range first.Configs {
		entry := schemas.ConfigEntry{Name: conf.Name, Columns: conf.Columns}
		for s, sp := range conf.Splits {
			split := schemas.SplitEntry{Name: sp.Name}
			for _, m := range shards {
				if len(m.Configs) <= c || len(m.Configs[c].Splits) <= s || m.Configs[c].Splits[s].Name != sp.Name {
					return "", fmt.Errorf("%s does not have the configs and splits of the other shards", dirOf[m])
				}
				part := m.Configs[c].Splits[s]
				split.Rows += part.Rows
				for _, fe := range part.Files {
					if err := linkOrCopy(ctx, filepath.Join(dirOf[m], filepath.FromSlash(fe.Path)), ds, fe.Path); err != nil {
						return "", err
					}
					split.Files = append(split.Files, fe)
				}
			}
			entry.Splits = append(entry.Splits, split)
		}
		merged.Configs = append(merged.Configs, entry)
	}
	cfg.Name = name
	card, err := schemas.Card(&merged, schemas.CardInfo{Title: name, Summary: recipe.Summary(), Paper: recipe.Paper(), Command: CommandLine(&cfg, recipe.Options()) + " (in shards, merged)"})
	if err != nil {
		return "", err
	}
	if err := ds.WriteFile("README.md", card); err != nil {
		return "", err
	}
	data, err := json.MarshalIndent(&merged, "", "  ")
	if err != nil {
		return "", err
	}
	return ds.Dir, ds.Commit(append(data, '\n'))
}

// linkOrCopy copies a shard's file into the dataset being written. (A hard link would save the copy,
// but the dataset's writer hashes what passes through it, which is what validate relies on.)
func linkOrCopy(ctx context.Context, src string, ds *schemas.Dataset, rel string) error {
	df, err := ds.Create(rel)
	if err != nil {
		return err
	}
	in, err := schemas.OpenRegular(src)
	if err != nil {
		df.Close()
		return err
	}
	defer in.Close()
	_, err = io.Copy(df, schemas.ContextReader{Ctx: ctx, R: in})
	if _, _, cerr := df.Close(); err == nil {
		err = cerr
	}
	return err
}
