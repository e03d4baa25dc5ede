package schemas

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ErrExists is returned when the dataset folder exists and replacing it was not asked for.
var ErrExists = errors.New("dataset exists")

// Dataset is a dataset folder being written. Everything goes to a hidden staging folder beside the
// final one, and Commit renames it into place whole, so a dataset at its final path is always
// complete; Abort removes the staging folder.
//
// One run at a time writes a name: CreateDataset takes the name's lock (see NameLock) and holds it
// until Commit or Abort. Holding it, it removes the staging folders of the name that runs killed
// before they could clean up (SIGKILL, a crash, a lost machine) left behind.
type Dataset struct {
	Dir     string // the final folder, <out>/<name>
	staging string
	force   bool
	marker  string    // the file written last, whose presence lets --force replace such a folder
	created []string  // the folders of the out path this dataset created, deepest first
	lock    *NameLock // held until Commit or Abort
}

// CheckName rejects a dataset name that is not a single plain folder name.
func CheckName(name string) error { return checkName(name, MaxNameLen) }

// checkName is CheckName with maxLen bytes at most.
func checkName(name string, maxLen int) error {
	switch {
	case name == "":
		return errors.New("dataset name is empty")
	case strings.Contains(name, ".."):
		return fmt.Errorf("dataset name %q may not contain '..'", name)
	case strings.ContainsAny(name, `/\`):
		return fmt.Errorf("dataset name %q may not contain a path separator", name)
	case strings.HasPrefix(name, "."):
		return fmt.Errorf("dataset name %q may not start with '.'", name)
	case strings.Contains(name, stagingMark):
		return fmt.Errorf("dataset name %q may not contain %q (it marks staging folders)", name, stagingMark)
	case len(name) > maxLen:
		return fmt.Errorf("dataset name is %d bytes long: at most %d", len(name), maxLen)
	}
	for _, r := range name {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '.' || r == '_' || r == '-') {
			return fmt.Errorf("dataset name %q: use letters, digits, '.', '_' and '-' only (not %q)", name, r)
		}
	}
	return nil
}

// MaxNameLen bounds a dataset name: with a shard's suffix (.shard-00000-of-00002) and a staging
// folder's (.partial-<random>) it must fit a file name on any file system.
const MaxNameLen = 100

// shardSuffixLen is the length of a shard folder's suffix beyond its dataset's name.
const shardSuffixLen = len(".shard-00000-of-00000")

// CheckTarget reports, before any work is done, why a dataset could not be written at out/name.
func CheckTarget(out, name string, force bool) error {
	return CheckFolder(out, name, force, ManifestName, "dataset")
}

// CheckFolder is CheckTarget for a folder of another kind (an export) that factforge writes as it
// writes a dataset: --force replaces such a folder only when it holds marker.
func CheckFolder(out, name string, force bool, marker, kind string) error {
	if err := checkName(name, MaxNameLen+shardSuffixLen); err != nil { // name may be a shard's folder
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
	fi, err := os.Lstat(dir)
	switch {
	case os.IsNotExist(err):
		return nil
	case err != nil:
		return err
	case fi.Mode()&os.ModeSymlink != 0:
		return fmt.Errorf("%s is a symlink: remove it, or choose another --out or --name", dir)
	case !fi.IsDir():
		return fmt.Errorf("%s exists and is a file", dir)
	case !force:
		return fmt.Errorf("%w: %s (use --force to replace it)", ErrExists, dir)
	}
	// --force replaces a dataset (or an export), never a folder of something else.
	if mf, err := os.Lstat(filepath.Join(dir, marker)); err != nil || !mf.Mode().IsRegular() {
		return fmt.Errorf("%s is not a factforge %s (it has no %s): --force replaces %ss only, so move it away yourself", dir, kind, marker, kind)
	}
	return nil
}

// stagingMark is in the name of every staging folder: .<name>.partial-<random>.
const stagingMark = ".partial-"

// stagingGlob matches the staging folders of dataset name in out, and the old dataset a --force
// run moves aside (…partial-<random>.old).
func stagingGlob(out, name string) string {
	return filepath.Join(out, "."+name+stagingMark+"*")
}

// RemoveStale removes the staging folders that runs of name which ended without cleaning up left in
// out; the caller holds the name's lock, so no run is writing them. It returns what it removed.
func removeStale(out, name string) ([]string, error) {
	stale, err := filepath.Glob(stagingGlob(out, name))
	if err != nil {
		return nil, err
	}
	for _, p := range stale {
		if err := os.RemoveAll(p); err != nil {
			return nil, fmt.Errorf("cannot remove the stale staging folder %s: %w", p, err)
		}
	}
	return stale, nil
}

// Clean removes, for every dataset name in out with a staging folder, the staging folders no run is
// writing: those of names whose lock it can take. It returns what it removed, and the names it left
// because a run holds them.
func Clean(out string) (removed, busy []string, err error) {
	entries, err := os.ReadDir(out)
	if err != nil {
		return nil, nil, err
	}
	names := map[string]bool{}
	for _, e := range entries {
		if name, _, ok := strings.Cut(e.Name(), stagingMark); ok && strings.HasPrefix(name, ".") && CheckName(name[1:]) == nil {
			names[name[1:]] = true
		}
	}
	for _, name := range slices.Sorted(maps.Keys(names)) {
		lock, err := LockName(out, name)
		if errors.Is(err, ErrBusy) {
			busy = append(busy, name)
			continue
		}
		if err != nil {
			return removed, busy, err
		}
		gone, err := removeStale(out, name)
		lock.Release()
		removed = append(removed, gone...)
		if err != nil {
			return removed, busy, err
		}
	}
	return removed, busy, nil
}

// CreateDataset starts writing the dataset out/name.
func CreateDataset(out, name string, force bool) (*Dataset, error) {
	return CreateFolder(out, name, force, ManifestName, "dataset")
}

// CreateFolder starts writing out/name, a folder of kind whose file marker Commit writes last and
// whose presence lets --force replace it (an export's), as a dataset is written: staged, under the
// name's lock, renamed into place whole.
func CreateFolder(out, name string, force bool, marker, kind string) (*Dataset, error) {
	if err := CheckFolder(out, name, force, marker, kind); err != nil {
		return nil, err
	}
	d := &Dataset{Dir: filepath.Join(out, name), force: force, marker: marker}
	for p := filepath.Clean(out); ; p = filepath.Dir(p) {
		if _, err := os.Lstat(p); err == nil || filepath.Dir(p) == p {
			break
		}
		d.created = append(d.created, p)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		d.removeCreated()
		return nil, fmt.Errorf("cannot create output folder: %w", err)
	}
	lock, err := LockName(out, name)
	if err != nil {
		d.removeCreated()
		return nil, err
	}
	d.lock = lock
	if _, err := removeStale(out, name); err != nil {
		d.release()
		return nil, err
	}
	// Checked again under the lock: another run may have written the name meanwhile.
	if err := CheckFolder(out, name, force, marker, kind); err != nil {
		d.release()
		return nil, err
	}
	staging, err := os.MkdirTemp(out, "."+name+stagingMark)
	if err == nil {
		err = os.Chmod(staging, 0o755) // MkdirTemp makes it 0700: the folder it becomes is for others to read too
	}
	if err != nil {
		os.Remove(staging)
		d.release()
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

// Commit writes the manifest (a folder's marker) last and moves the finished dataset into place,
// replacing an old one only when force was given.
func (d *Dataset) Commit(manifest []byte) error {
	if err := d.WriteFile(d.marker, manifest); err != nil {
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
		if old != "" {
			os.Rename(old, d.Dir) // the old dataset back in place, not left under a staging name
		}
		return fmt.Errorf("cannot move dataset into place: %w", err)
	}
	d.staging = ""
	var err error
	if old != "" {
		err = os.RemoveAll(old)
	}
	d.lock.Release()
	d.lock = nil
	return err
}

// Abort removes everything written so far, and the folders of the out path it created. It is safe
// to call after Commit.
func (d *Dataset) Abort() {
	if d.staging != "" {
		os.RemoveAll(d.staging)
		d.staging = ""
		d.release()
	}
}

// release lets the name's lock go and removes the folders of the out path this dataset created.
func (d *Dataset) release() {
	if d.lock != nil {
		d.lock.Release()
		d.lock = nil
	}
	d.removeCreated()
}

// removeCreated removes the folders of the out path this dataset created, deepest first, each only
// if empty.
func (d *Dataset) removeCreated() {
	for _, p := range d.created {
		if os.Remove(p) != nil {
			return
		}
	}
}
