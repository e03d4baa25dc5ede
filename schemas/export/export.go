// Package export writes a dataset in the layout another tool reads: a folder of task files for an
// evaluation harness, or training files in the form a provider or trainer takes them. Each layout is a
// Target in Targets, the one table the export command offers; Export reads the dataset through its
// manifest, writes the target's folder in a staging folder beside the output and renames it into
// place, so that a failed or refused export leaves nothing behind.
package export

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/factforge/factforge/schemas"
)

// Target is one layout a dataset can be exported to.
type Target struct {
	Name string // the value of export's --for
	Doc  string // one line for the command's help
	// Write writes the export of src into out, which becomes the output once Write returns nil, and
	// returns lines that say what it wrote. It writes nothing elsewhere, and should read and check
	// what it needs before it creates a file.
	Write func(ctx context.Context, src Source, out *Folder, opts Options) ([]string, error)
}

// Targets lists every export target, one line each, in the order help shows them: the evaluation
// harness, then the fine-tuning providers of Providers.
var Targets = append([]Target{
	{Name: "lm-eval", Doc: "an lm-evaluation-harness task folder: a task YAML per eval split and a group YAML named after the dataset, reading the dataset's Parquet files", Write: WriteLMEval},
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

// InputError is an export refused for what the user gave (a folder that is not a dataset, an unknown
// target, an output that exists): nothing was written.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

func inputError(format string, args ...any) error {
	return &InputError{fmt.Errorf(format, args...)}
}

// Find returns the target named name.
func Find(name string) (Target, error) {
	for _, t := range Targets {
		if t.Name == name {
			return t, nil
		}
	}
	return Target{}, inputError("no export target %q: --for takes %s", name, strings.Join(Names(), ", "))
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
// exists is refused unless force is set and it is an earlier export; out may not lie inside the
// dataset, nor the dataset inside out. It returns the absolute output folder. Nothing is made before
// the target creates its first file, so a dataset refused while the target reads it leaves no trace.
func Export(ctx context.Context, t Target, dataset, out string, opts Options) (string, []string, error) {
	force := opts.Force
	m, err := schemas.ReadManifest(dataset)
	if err != nil {
		return "", nil, &InputError{err}
	}
	src, err := filepath.Abs(dataset)
	if err != nil {
		return "", nil, err
	}
	dst, err := filepath.Abs(out)
	if err != nil {
		return "", nil, err
	}
	if within(dst, src) {
		return "", nil, inputError("output folder %s is inside the dataset %s: choose an --out outside it", out, dataset)
	}
	if within(src, dst) {
		return "", nil, inputError("output folder %s holds the dataset %s: choose another --out", out, dataset)
	}
	if _, err := checkOutput(out, dst, force); err != nil {
		return "", nil, err
	}
	f := &Folder{out: out, dst: dst, force: force}
	defer f.release()
	s := Source{Dir: src, Name: filepath.Base(src), Manifest: m, Out: dst}
	summary, err := t.Write(ctx, s, f, opts)
	if err != nil {
		return "", nil, f.abort(err)
	}
	marker := fmt.Sprintf("factforge export --for %s %s\n", t.Name, s.Name)
	if err := f.WriteFile(MarkerName, []byte(marker)); err != nil {
		return "", nil, f.abort(err)
	}
	if err := ctx.Err(); err != nil {
		return "", nil, f.abort(err)
	}
	return dst, summary, f.commit()
}

// Folder is the folder an export writes. It is made when the first file is created: the output's
// parent folders, the lock and the staging folder generate uses for a dataset of the same name (so
// that two runs never write one folder at once, and factforge clean removes what a killed export
// left), with the output checked again under the lock.
type Folder struct {
	out, dst string
	force    bool
	replace  bool
	created  []string // parent folders made, deepest first
	lock     *schemas.NameLock
	staging  string
}

// Create creates the file name (a path inside the folder, with / between its parts).
func (f *Folder) Create(name string) (*os.File, error) {
	if !filepath.IsLocal(filepath.FromSlash(name)) {
		return nil, fmt.Errorf("%q is not a file name inside the export", name)
	}
	if f.staging == "" {
		if err := f.open(); err != nil {
			return nil, err
		}
	}
	p := filepath.Join(f.staging, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	return os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
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

func (f *Folder) open() error {
	parent := filepath.Dir(f.dst)
	var err error
	if f.created, err = mkdirAll(parent); err != nil {
		return fmt.Errorf("cannot create the output's parent folder: %w", err)
	}
	base := filepath.Base(f.dst)
	if f.lock, err = schemas.LockName(parent, base); err != nil {
		return err
	}
	stale, _ := filepath.Glob(filepath.Join(parent, "."+base+".partial-*"))
	for _, p := range stale {
		os.RemoveAll(p)
	}
	if f.replace, err = checkOutput(f.out, f.dst, f.force); err != nil { // again, under the lock
		return err
	}
	staging, err := os.MkdirTemp(parent, "."+base+".partial-")
	if err == nil {
		err = os.Chmod(staging, 0o755)
	}
	if err != nil {
		os.Remove(staging)
		return fmt.Errorf("cannot write in %s: %w", parent, err)
	}
	f.staging = staging
	return nil
}

// commit puts the staging folder in place of the output.
func (f *Folder) commit() error {
	if f.replace {
		old := f.staging + ".old"
		if err := os.Rename(f.dst, old); err != nil {
			return f.abort(fmt.Errorf("cannot move the earlier export aside: %w", err))
		}
		if err := os.Rename(f.staging, f.dst); err != nil {
			os.Rename(old, f.dst)
			return f.abort(err)
		}
		f.staging = ""
		return os.RemoveAll(old)
	}
	if err := os.Rename(f.staging, f.dst); err != nil {
		return f.abort(err)
	}
	f.staging = ""
	return nil
}

// abort removes what the folder made and returns err.
func (f *Folder) abort(err error) error {
	if f.staging != "" {
		os.RemoveAll(f.staging)
		f.staging = ""
	}
	f.release()
	for _, p := range f.created {
		os.Remove(p)
	}
	f.created = nil
	return err
}

// release lets the lock go; it is safe to call twice.
func (f *Folder) release() { f.lock.Release() }

// checkOutput reports whether out (dst made absolute) may be written: it must not exist, or, with
// force, be an earlier export, which is then replaced (replace is true).
func checkOutput(out, dst string, force bool) (replace bool, err error) {
	// The nearest part of the path that exists must be a folder.
	for p := filepath.Dir(dst); ; p = filepath.Dir(p) {
		if fi, err := os.Stat(p); err == nil {
			if !fi.IsDir() {
				return false, inputError("output path %s: %s is a file, not a folder", out, p)
			}
			break
		}
		if filepath.Dir(p) == p {
			break
		}
	}
	fi, err := os.Lstat(dst)
	switch {
	case os.IsNotExist(err):
		return false, nil
	case err != nil:
		return false, err
	case fi.Mode()&os.ModeSymlink != 0:
		return false, inputError("%s is a symlink: remove it, or choose another --out", out)
	case !fi.IsDir():
		return false, inputError("output path %s exists and is a file", out)
	case !force:
		return false, inputError("%s exists (use --force to replace an earlier export)", out)
	}
	b, err := os.ReadFile(filepath.Join(dst, MarkerName))
	if err != nil || !bytes.HasPrefix(b, []byte("factforge export ")) {
		return false, inputError("%s is not a factforge export (it has no %s): --force replaces exports only, so move it away yourself", out, MarkerName)
	}
	return true, nil
}

// within reports whether path is dir or lies inside it; both are absolute and clean.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// mkdirAll makes dir and its missing parents, returning those it made, deepest first.
func mkdirAll(dir string) ([]string, error) {
	var created []string
	for p := dir; ; p = filepath.Dir(p) {
		if _, err := os.Lstat(p); err == nil || filepath.Dir(p) == p {
			break
		}
		created = append(created, p)
	}
	return created, os.MkdirAll(dir, 0o755)
}

// errNoEval is returned for a dataset with no config an export can read probes from.
var errNoEval = errors.New("has no eval config (a config with prompt and answer columns)")
