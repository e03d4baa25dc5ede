package run

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/schemas"
)

// Problems is a merged dataset that failed its validation: it was not written. Dir is where it would
// have gone.
type Problems struct {
	Dir      string
	Problems []string
}

func (e *Problems) Error() string {
	return fmt.Sprintf("%s: %d problems in the merged dataset: nothing written", e.Dir, len(e.Problems))
}

// Merge assembles the shard folders of one dataset into the dataset out/name: it checks that they are
// the shards 0..n-1 of one config made by one version, with the same configs, splits, columns, rules
// and figures, every file they list present, before writing anything; then copies their data files
// makes the combined manifest and validates it (its data against it where the shards hold them, and it
// against its recipe, as validate does), and only then copies the files into a staging folder, writes
// the manifest and card there and moves it into place. The result is the single-machine dataset split into n files per split; it appears whole
// or not at all. Bad shards are ConfigErrors (or *schemas.ManifestErrors); a merged dataset that does
// not validate is a *Problems. lookup finds the recipe named in the manifests. Merge stops when ctx
// ends, leaving nothing. It returns the dataset's folder.
func Merge(ctx context.Context, dirs []string, out, name string, force bool, lookup generators.Lookup) (string, error) {
	shards, shardDirs, err := readShards(dirs)
	if err != nil {
		return "", err
	}
	first := shards[0]
	var cfg generators.Config
	if err := json.Unmarshal(first.Config, &cfg); err != nil {
		return "", ConfigError{fmt.Errorf("%s: manifest config: %w", shardDirs[0], err)}
	}
	if name == "" {
		name = cfg.Name
	}
	recipe, err := lookup(cfg.Recipe)
	if err != nil {
		return "", ConfigError{fmt.Errorf("%s: %w", shardDirs[0], err)}
	}
	if err := schemas.CheckTarget(out, name, force); err != nil {
		return "", ConfigError{err}
	}
	// The merged manifest, made and validated before anything is written: its data against it where
	// the shards hold them, and it against its recipe.
	merged := *first
	merged.Shard, merged.Audit, merged.Card = nil, nil, nil // one shard's audit and card are not the dataset's
	merged.Configs = nil
	from := map[string]string{} // a data file's path -> the shard folder it is copied from
	for c, conf := range first.Configs {
		entry := schemas.ConfigEntry{Name: conf.Name, Columns: conf.Columns}
		for s, sp := range conf.Splits {
			split := schemas.SplitEntry{Name: sp.Name}
			for i, m := range shards {
				part := m.Configs[c].Splits[s]
				split.Rows += part.Rows
				for _, fe := range part.Files {
					from[fe.Path] = shardDirs[i]
					split.Files = append(split.Files, fe)
				}
			}
			entry.Splits = append(entry.Splits, split)
		}
		merged.Configs = append(merged.Configs, entry)
	}
	dir := filepath.Join(out, name)
	problems, err := schemas.ValidateData(ctx, dir, &merged, func(rel string) string { return filepath.Join(from[rel], filepath.FromSlash(rel)) })
	if err != nil {
		return "", err
	}
	derived, _, err := CheckDerived(ctx, &merged, lookup) // the shards were made where their inputs are
	if err != nil {
		return "", err
	}
	if problems = append(problems, derived...); len(problems) > 0 {
		return "", &Problems{Dir: dir, Problems: problems}
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	ds, err := schemas.CreateDataset(out, name, force)
	if err != nil {
		return "", err
	}
	defer ds.Abort()
	for _, c := range merged.Configs {
		for _, sp := range c.Splits {
			for _, fe := range sp.Files {
				if err := linkOrCopy(ctx, from[fe.Path], ds, fe); err != nil {
					return "", err
				}
			}
		}
	}
	card, err := schemas.Card(&merged, schemas.CardInfo{Title: name, Summary: recipe.Summary(), Paper: recipe.Paper(), Command: mergedCommandLine(&cfg, recipe.Options(), len(shards), name)})
	if err != nil {
		return "", err
	}
	if err := ds.WriteFile(schemas.CardName, card); err != nil {
		return "", err
	}
	merged.Card = schemas.NewCardEntry(card)
	data, err := json.MarshalIndent(&merged, "", "  ")
	if err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return ds.Dir, ds.Commit(append(data, '\n'))
}

// mergedCommandLine is a shell command that makes the merged dataset name again from nothing: every
// shard of cfg into the folder shards, then the merge (into out/name, merge's default).
func mergedCommandLine(cfg *generators.Config, decl []generators.Option, shards int, name string) string {
	merge := "factforge merge"
	if name != cfg.Name {
		merge += " --name " + shellQuote(name)
	}
	return fmt.Sprintf("for i in $(seq 0 %d); do %s --shard $i/%d --out shards; done && %s shards/%s",
		shards-1, CommandLine(cfg, decl), shards, merge, shellQuote(cfg.Name)+".shard-*")
}

// readShards reads the manifests of the shard folders and checks, before anything is written, that
// they are every shard of one dataset once, alike in all but their rows and files, and that every file
// they list is a regular file. It returns the manifests and folders in shard order.
func readShards(dirs []string) ([]*schemas.Manifest, []string, error) {
	if len(dirs) == 0 {
		return nil, nil, ConfigError{errors.New("merge needs the shard folders")}
	}
	if len(dirs) > schemas.MaxShards {
		return nil, nil, ConfigError{fmt.Errorf("%d folders given: a dataset has at most %d shards", len(dirs), schemas.MaxShards)}
	}
	shards := make([]*schemas.Manifest, len(dirs))
	shardDirs := make([]string, len(dirs))
	var first *schemas.Manifest
	for _, dir := range dirs {
		m, err := schemas.ReadManifest(dir)
		if err != nil {
			var me *schemas.ManifestError
			if errors.As(err, &me) {
				return nil, nil, err
			}
			return nil, nil, ConfigError{err}
		}
		if m.Shard == nil {
			return nil, nil, ConfigError{fmt.Errorf("%s is not a shard (its manifest has no shard)", dir)}
		}
		if first == nil {
			first = m
			if len(dirs) != m.Shard.Count {
				return nil, nil, ConfigError{fmt.Errorf("%d folders given for %d shards", len(dirs), m.Shard.Count)}
			}
		}
		if m.Shard.Count != first.Shard.Count || !bytes.Equal(m.Config, first.Config) || m.Version != first.Version || m.Recipe != first.Recipe || m.Seed != first.Seed {
			return nil, nil, ConfigError{fmt.Errorf("%s is a shard of another dataset (config, version or shard count differ from %s)", dir, dirs[0])}
		}
		if err := sameShape(first, m); err != nil {
			return nil, nil, ConfigError{fmt.Errorf("%s is not laid out like %s: %w", dir, dirs[0], err)}
		}
		// The index is in range: ReadManifest checked it against the count, which is len(dirs).
		if shards[m.Shard.Index] != nil {
			return nil, nil, ConfigError{fmt.Errorf("shard %d is given twice (%s and %s)", m.Shard.Index, shardDirs[m.Shard.Index], dir)}
		}
		shards[m.Shard.Index], shardDirs[m.Shard.Index] = m, dir
	}
	paths := map[string]string{}
	for i, m := range shards {
		for _, c := range m.Configs {
			for _, sp := range c.Splits {
				for _, fe := range sp.Files {
					if other, ok := paths[fe.Path]; ok {
						return nil, nil, ConfigError{fmt.Errorf("%s and %s both list %s: shards' files are numbered by shard", other, shardDirs[i], fe.Path)}
					}
					paths[fe.Path] = shardDirs[i]
					f, err := schemas.OpenRegular(filepath.Join(shardDirs[i], filepath.FromSlash(fe.Path)))
					if err != nil {
						return nil, nil, ConfigError{fmt.Errorf("shard %s: %w", shardDirs[i], err)}
					}
					f.Close()
				}
			}
		}
	}
	return shards, shardDirs, nil
}

// sameShape reports how shard b's configs, columns, splits, rules or figures differ from shard a's.
func sameShape(a, b *schemas.Manifest) error {
	if len(a.Configs) != len(b.Configs) {
		return fmt.Errorf("%d configs, not %d", len(b.Configs), len(a.Configs))
	}
	for i, ca := range a.Configs {
		cb := b.Configs[i]
		if ca.Name != cb.Name || !slices.Equal(ca.Columns, cb.Columns) || len(ca.Splits) != len(cb.Splits) {
			return fmt.Errorf("config %d is %s, not %s, or has other columns or splits", i+1, cb.Name, ca.Name)
		}
		for j, sa := range ca.Splits {
			if sb := cb.Splits[j]; sb.Name != sa.Name {
				return fmt.Errorf("config %s: split %d is %s, not %s", ca.Name, j+1, sb.Name, sa.Name)
			}
		}
	}
	if !sameJSON(a.Rules, b.Rules) {
		return errors.New("other rules")
	}
	if (len(a.Stats) > 0 || len(b.Stats) > 0) && !sameJSON(a.Stats, b.Stats) {
		return errors.New("other figures (stats)")
	}
	return nil
}

// linkOrCopy copies a shard's file, in the shard folder dir, into the dataset being written, and checks
// that what it copied is what was validated. (A hard link would save the copy, but the dataset's
// writer hashes what passes through it.)
func linkOrCopy(ctx context.Context, dir string, ds *schemas.Dataset, fe schemas.FileEntry) error {
	src := filepath.Join(dir, filepath.FromSlash(fe.Path))
	in, err := schemas.OpenRegular(src)
	if err != nil {
		return err
	}
	defer in.Close()
	df, err := ds.Create(fe.Path)
	if err != nil {
		return err
	}
	_, err = io.Copy(df, schemas.ContextReader{Ctx: ctx, R: in})
	size, sum, cerr := df.Close()
	if err == nil {
		err = cerr
	}
	if err == nil && (size != fe.Bytes || sum != fe.SHA256) {
		err = fmt.Errorf("%s changed while it was merged", src)
	}
	return err
}
