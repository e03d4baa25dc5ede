package schemas

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
)

// maxCardBytes bounds the card validate reads: a real one is a few kB.
const maxCardBytes = 16 << 20

// checkCard checks the dataset card against the manifest: its size and sha256, then, so that a card
// edited with its hash fixed in the manifest is caught too, that its front matter (which tells the
// Hugging Face loader which files each config's splits are) is the one the manifest makes, and that it
// names the manifest's version, recipe and seed. Its error is ctx's, when ctx ends first.
func checkCard(ctx context.Context, dir string, m *Manifest) ([]string, error) {
	if m.Card == nil {
		return nil, nil // a card the manifest does not list is reported by checkUnlisted
	}
	path := filepath.Join(dir, CardName)
	size, sum, err := hashFile(ctx, path)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return []string{fmt.Sprintf("%s: %v", CardName, err)}, nil
	}
	var problems []string
	switch {
	case size != m.Card.Bytes:
		problems = append(problems, fmt.Sprintf("%s: %d bytes, manifest says %d", CardName, size, m.Card.Bytes))
	case sum != m.Card.SHA256:
		problems = append(problems, fmt.Sprintf("%s: sha256 %s, manifest says %s", CardName, sum, m.Card.SHA256))
	}
	f, err := OpenRegular(path)
	if err != nil {
		return append(problems, fmt.Sprintf("%s: %v", CardName, err)), nil
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCardBytes+1))
	if err != nil {
		return append(problems, fmt.Sprintf("%s: %v", CardName, err)), nil
	}
	if len(data) > maxCardBytes {
		return append(problems, fmt.Sprintf("%s: larger than %d MiB: not a factforge card", CardName, maxCardBytes>>20)), nil
	}
	var want bytes.Buffer
	if err := writeFrontMatter(&want, m); err != nil {
		return append(problems, fmt.Sprintf("%s: %v", CardName, err)), nil
	}
	if !bytes.HasPrefix(data, want.Bytes()) {
		problems = append(problems, fmt.Sprintf("%s: its front matter is not the one the manifest makes (%s): the loader would read other files, features or sizes",
			CardName, firstDifference(want.String(), string(data))))
	}
	if line := provenanceLine(m); !bytes.Contains(data, []byte(line)) {
		problems = append(problems, fmt.Sprintf("%s does not name the manifest's version, recipe and seed: want the line %q", CardName, strings.TrimSpace(line)))
	}
	return problems, nil
}

// firstDifference describes the first line where got differs from want.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range w {
		if i >= len(g) {
			return fmt.Sprintf("it ends at line %d", i+1)
		}
		if w[i] != g[i] {
			return fmt.Sprintf("line %d is %q, want %q", i+1, truncate(g[i], 120), truncate(w[i], 120))
		}
	}
	return "it differs"
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// checkUnlisted reports every file in the dataset folder that the manifest does not list: a dataset
// holds its manifest, the card and audit report the manifest lists, and the data files it lists,
// nothing else. A folder that holds no listed file is reported once, as a whole.
func checkUnlisted(dir string, m *Manifest) (problems []string) {
	listed := map[string]bool{ManifestName: true}
	if m.Card != nil {
		listed[CardName] = true
	}
	if m.Audit != nil {
		listed[m.Audit.Path] = true
	}
	for _, c := range m.Configs {
		for _, sp := range c.Splits {
			for _, fe := range sp.Files {
				listed[fe.Path] = true
			}
		}
	}
	folders := map[string]bool{}
	for p := range listed {
		for d := filepath.ToSlash(filepath.Dir(filepath.FromSlash(p))); d != "." && d != "/"; d = filepath.ToSlash(filepath.Dir(filepath.FromSlash(d))) {
			folders[d] = true
		}
	}
	var extra []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if p == dir {
			return err // an unreadable dataset folder: the manifest could not have been read either
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case d != nil && d.IsDir() && !folders[rel]:
			extra = append(extra, rel+"/: folder not listed in the manifest")
			return filepath.SkipDir
		case d != nil && d.IsDir():
			return nil
		case listed[rel]:
			return nil
		case rel == CardName:
			extra = append(extra, rel+": not listed in the manifest (a manifest hashes its card; this one was written before that, or edited)")
		case strings.HasPrefix(rel, "data/") || strings.HasPrefix(rel, "jsonl/"):
			extra = append(extra, rel+": data file not listed in the manifest")
		default:
			extra = append(extra, rel+": file not listed in the manifest")
		}
		return nil
	})
	slices.Sort(extra)
	return extra
}
