// Package export writes a dataset in the layout another tool reads: a folder of task files for an
// evaluation harness, or training files in the form a provider or trainer takes them. Each layout is a
// Target in Targets, the one table the export command offers; Export reads the dataset through its
// manifest, writes the target's folder in a staging folder beside the output and renames it into
// place, so that a failed or refused export leaves nothing behind.
package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/factforge/factforge/schemas"
)

// Target is one layout a dataset can be exported to.
type Target struct {
	Name string // the value of export's --for
	Doc  string // one line for the command's help
	// Write writes the export of src into out, which becomes the output once Write returns nil, and
	// returns lines that say what it wrote. It writes nothing elsewhere; on an error everything it
	// wrote is removed.
	Write func(ctx context.Context, src Source, out *Folder, opts Options) ([]string, error)
}

// Targets lists every export target, one line each, in the order help shows them: the evaluation
// harness, then the fine-tuning providers of Providers.
var Targets = append([]Target{
	{Name: "lm-eval", Doc: "an lm-evaluation-harness task folder: a task YAML per eval split and a group YAML named after the dataset, reading the dataset's own files (Parquet, or JSON Lines where it has none)", Write: WriteLMEval},
}, providerTargets()...)

// Options says how to export. Force applies to every target; the others to the providers.
type Options struct {
	Force bool // replace an earlier export at the output folder
	// MaxBytes overrides the provider's file size limit when positive (tests force splits with it).
	MaxBytes int64
	// Join writes every training split into one file set, train-NNNNN.jsonl, split after split,
	// instead of one file set per split.
	Join bool
	// Validation names eval splits to write, in this order, as one validation file set
	// (validation-NNNNN.jsonl) in the training lines' form: the probe's prompt, and its answer as the
	// reply or completion. None by default.
	Validation []string
}

// Source is the dataset an export reads.
type Source struct {
	Dir      string // the dataset folder, absolute
	Name     string // the folder's base name, the dataset's name
	Manifest *schemas.Manifest
	Out      string // the output folder, absolute: where the folder written is put in the end
}

// Find returns the target named name.
func Find(name string) (Target, error) {
	for _, t := range Targets {
		if t.Name == name {
			return t, nil
		}
	}
	return Target{}, schemas.InputErrorf("no export target %q: --for takes %s", name, strings.Join(Names(), ", "))
}

// Names lists the targets' names.
func Names() []string {
	names := make([]string, len(Targets))
	for i, t := range Targets {
		names[i] = t.Name
	}
	return names
}

// MarkerName is the file every export folder holds, naming its target and dataset: --force replaces
// a folder only when it has one, so that a mistyped --out never removes someone's work.
const MarkerName = ".factforge-export"

// Export writes the export of the dataset folder dataset for target t to the folder out. An out that
// exists is refused unless opts.Force is set and it is an earlier export; out may not lie inside the
// dataset, nor the dataset inside out. It returns the absolute output folder and the target's summary.
// Nothing is made before the target creates its first file, so a dataset refused while the target
// reads it leaves no trace.
func Export(ctx context.Context, t Target, dataset, out string, opts Options) (string, []string, error) {
	m, err := schemas.ReadManifest(dataset)
	if err != nil {
		return "", nil, &schemas.InputError{Err: err}
	}
	src, err := filepath.Abs(dataset)
	if err != nil {
		return "", nil, err
	}
	dst, err := filepath.Abs(out)
	if err != nil {
		return "", nil, err
	}
	// Compared with their links resolved: an --out reached through a link into the dataset is inside it.
	realSrc, realDst := realPath(src), realPath(dst)
	if within(realDst, realSrc) {
		return "", nil, schemas.InputErrorf("output folder %s is inside the dataset %s: choose an --out outside it", out, dataset)
	}
	if within(realSrc, realDst) {
		return "", nil, schemas.InputErrorf("output folder %s holds the dataset %s: choose another --out", out, dataset)
	}
	f := &Folder{parent: filepath.Dir(dst), name: filepath.Base(dst), force: opts.Force}
	if err := f.check(); err != nil {
		return "", nil, err
	}
	s := Source{Dir: src, Name: filepath.Base(src), Manifest: m, Out: dst}
	summary, err := t.Write(ctx, s, f, opts)
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = f.open() // a target that wrote nothing still leaves its marker
	}
	if err != nil {
		f.abort()
		return "", nil, err
	}
	marker := fmt.Sprintf("factforge export --for %s %s\n", t.Name, s.Name)
	if err := f.ds.Commit([]byte(marker)); err != nil {
		f.abort()
		return "", nil, err
	}
	return dst, summary, nil
}

// Folder is the folder an export writes, as a dataset is written (schemas.CreateFolder): made when the
// first file is created, under the name's lock, staged beside the output and renamed into place, so
// that two runs never write one folder at once and factforge clean removes what a killed export left.
type Folder struct {
	parent, name string
	force        bool
	ds           *schemas.Dataset
}

// check reports why the folder could not be written, before anything is read.
func (f *Folder) check() error {
	if err := schemas.CheckFolder(f.parent, f.name, f.force, MarkerName, "export"); err != nil {
		return &schemas.InputError{Err: err}
	}
	return nil
}

func (f *Folder) open() error {
	if f.ds != nil {
		return nil
	}
	ds, err := schemas.CreateFolder(f.parent, f.name, f.force, MarkerName, "export")
	if err != nil && !errors.Is(err, schemas.ErrBusy) && f.check() != nil {
		return &schemas.InputError{Err: err} // the output changed since the first check: refused as then
	}
	f.ds = ds
	return err
}

func (f *Folder) abort() {
	if f.ds != nil {
		f.ds.Abort()
	}
}

// Create creates the file name (a path inside the folder, with / between its parts).
func (f *Folder) Create(name string) (io.WriteCloser, error) {
	if !filepath.IsLocal(filepath.FromSlash(name)) || name == MarkerName {
		return nil, fmt.Errorf("%q is not a file name inside the export", name)
	}
	if err := f.open(); err != nil {
		return nil, err
	}
	df, err := f.ds.Create(name)
	if err != nil {
		return nil, err
	}
	return dataFile{df}, nil
}

// dataFile is a schemas.DataFile as an io.WriteCloser.
type dataFile struct{ *schemas.DataFile }

func (d dataFile) Close() error {
	_, _, err := d.DataFile.Close()
	return err
}

// WriteFile creates the file name holding data.
func (f *Folder) WriteFile(name string, data []byte) error {
	w, err := f.Create(name)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	if err1 := w.Close(); err == nil {
		err = err1
	}
	return err
}

// realPath is the absolute path abs with the symlinks of the part of it that exists resolved.
func realPath(abs string) string {
	rest := ""
	for p := abs; ; p = filepath.Dir(p) {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(real, rest)
		}
		if filepath.Dir(p) == p {
			return abs
		}
		rest = filepath.Join(filepath.Base(p), rest)
	}
}

// within reports whether path is dir or lies inside it; both are absolute and clean.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// errNoEval is returned for a dataset with no config an export can read probes from.
var errNoEval = errors.New("has no eval config (a config with prompt and answer columns)")
