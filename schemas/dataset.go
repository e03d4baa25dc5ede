package schemas

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"strings"
)

// ErrExists is returned when the dataset folder exists and replacing it was not asked for.
var ErrExists = errors.New("dataset exists")

// Dataset is a dataset folder being written. Everything goes to a hidden staging folder beside the
// final one, and Commit renames it into place whole, so a dataset at its final path is always
// complete; Abort removes the staging folder.
type Dataset struct {
	Dir        string // the final folder, <out>/<name>
	staging    string
	force      bool
	createdOut string // the out folder, when this dataset created it
}

// CheckName rejects a dataset name that is not a single plain folder name.
func CheckName(name string) error {
	switch {
	case name == "":
		return errors.New("dataset name is empty")
	case strings.Contains(name, ".."):
		return fmt.Errorf("dataset name %q may not contain '..'", name)
	case strings.ContainsAny(name, `/\`):
		return fmt.Errorf("dataset name %q may not contain a path separator", name)
	case strings.HasPrefix(name, "."):
		return fmt.Errorf("dataset name %q may not start with '.'", name)
	case len(name) > MaxNameLen:
		return fmt.Errorf("dataset name is %d bytes long: at most %d", len(name), MaxNameLen)
	}
	for _, r := range name {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '.' || r == '_' || r == '-') {
			return fmt.Errorf("dataset name %q: use letters, digits, '.', '_' and '-' only (not %q)", name, r)
		}
	}
	return nil
}

// MaxNameLen bounds a dataset name: with its staging suffix it must fit a file name on any file system.
const MaxNameLen = 100

// CheckTarget reports, before any work is done, why a dataset could not be written at out/name.
func CheckTarget(out, name string, force bool) error {
	if err := CheckName(name); err != nil {
		return err
	}
	// The output folder, or the nearest part of its path that exists, must be a folder.
	for p := filepath.Clean(out); ; p = filepath.Dir(p) {
		if fi, err := os.Stat(p); err == nil {
			if !fi.IsDir() {
				return fmt.Errorf("output path %s: %s is a file, not a folder", out, p)
			}
			break
		}
		if filepath.Dir(p) == p {
			break
		}
	}
	dir := filepath.Join(out, name)
	if fi, err := os.Stat(dir); err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("%s exists and is a file", dir)
		}
		if !force {
			return fmt.Errorf("%w: %s (use --force to replace it)", ErrExists, dir)
		}
	}
	return nil
}

// CreateDataset starts writing the dataset out/name.
func CreateDataset(out, name string, force bool) (*Dataset, error) {
	if err := CheckTarget(out, name, force); err != nil {
		return nil, err
	}
	d := &Dataset{Dir: filepath.Join(out, name), force: force}
	if _, err := os.Stat(out); os.IsNotExist(err) {
		d.createdOut = out
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create output folder: %w", err)
	}
	staging, err := os.MkdirTemp(out, "."+name+".partial-")
	if err != nil {
		d.removeCreatedOut()
		return nil, fmt.Errorf("cannot write in output folder: %w", err)
	}
	d.staging = staging
	return d, nil
}

// DataFile is one file being written into a dataset; it hashes and counts what passes through it.
type DataFile struct {
	Path  string // relative to the dataset folder, with forward slashes
	f     *os.File
	sum   hash.Hash
	bytes int64
}

// Create opens rel (a slash-separated path inside the dataset) for writing.
func (d *Dataset) Create(rel string) (*DataFile, error) {
	full := filepath.Join(d.staging, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(full)
	if err != nil {
		return nil, err
	}
	return &DataFile{Path: rel, f: f, sum: sha256.New()}, nil
}

func (df *DataFile) Write(p []byte) (int, error) {
	n, err := df.f.Write(p)
	df.sum.Write(p[:n])
	df.bytes += int64(n)
	return n, err
}

// Close closes the file and returns its size and sha256.
func (df *DataFile) Close() (int64, string, error) {
	return df.bytes, hex.EncodeToString(df.sum.Sum(nil)), df.f.Close()
}

// Staging is the folder the dataset's files are written to until Commit moves it into place: where a
// reader of the unfinished dataset (an audit before commit) finds them.
func (d *Dataset) Staging() string { return d.staging }

// WriteFile writes a small file (the card, the manifest) into the dataset.
func (d *Dataset) WriteFile(rel string, data []byte) error {
	return os.WriteFile(filepath.Join(d.staging, filepath.FromSlash(rel)), data, 0o644)
}

// Commit writes the manifest last and moves the finished dataset into place, replacing an old one
// only when force was given.
func (d *Dataset) Commit(manifest []byte) error {
	if err := d.WriteFile(ManifestName, manifest); err != nil {
		return err
	}
	var old string
	if _, err := os.Stat(d.Dir); err == nil {
		if !d.force {
			return fmt.Errorf("%w: %s appeared while generating", ErrExists, d.Dir)
		}
		old = d.staging + ".old"
		if err := os.Rename(d.Dir, old); err != nil {
			return fmt.Errorf("cannot replace %s: %w", d.Dir, err)
		}
	}
	if err := os.Rename(d.staging, d.Dir); err != nil {
		return fmt.Errorf("cannot move dataset into place: %w", err)
	}
	d.staging = ""
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// Abort removes everything written so far. It is safe to call after Commit.
func (d *Dataset) Abort() {
	if d.staging != "" {
		os.RemoveAll(d.staging)
		d.staging = ""
		d.removeCreatedOut()
	}
}

func (d *Dataset) removeCreatedOut() {
	if d.createdOut != "" {
		os.Remove(d.createdOut) // only if empty
	}
}
