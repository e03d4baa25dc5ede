package schemas

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
)

// A manifest is input too: a collaborator's dataset may come with one edited by hand or by an
// attacker. Every path it names is checked before anything reads or writes it, and every file factforge
// reads is opened only if it is a regular file, so that no path, symlink, FIFO or device makes it read or
// write outside the folders the user named, or hang, or fill memory.

// InputError is input a command refuses (a predictions file it cannot read, an export's output that
// exists): the CLI exits 2 on it, and nothing was written.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// InputErrorf is an *InputError with a message.
func InputErrorf(format string, args ...any) error {
	return &InputError{fmt.Errorf(format, args...)}
}

// ManifestError is a manifest that cannot be used: unreadable, or naming a file outside its dataset.
// It is bad input (the command line tool exits 2).
type ManifestError struct {
	Path string // the manifest's path
	Err  error
}

func (e *ManifestError) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }
func (e *ManifestError) Unwrap() error { return e.Err }

// maxManifestBytes bounds a manifest's size: a real one is a few kB per config.
const maxManifestBytes = 64 << 20

// checkPaths checks every file path of m: data files under data/ or jsonl/, the audit report at
// audit.json, each a clean relative slash path that stays inside the dataset.
func (m *Manifest) checkPaths() error {
	for _, c := range m.Configs {
		for _, sp := range c.Splits {
			for _, f := range sp.Files {
				if err := localPath(f.Path); err != nil {
					return fmt.Errorf("config %s, split %s: %w", c.Name, sp.Name, err)
				}
				if !strings.HasPrefix(f.Path, "data/") && !strings.HasPrefix(f.Path, "jsonl/") {
					return fmt.Errorf("config %s, split %s: file path %q is not under data/ or jsonl/", c.Name, sp.Name, f.Path)
				}
			}
		}
	}
	if m.Audit != nil && m.Audit.Path != "audit.json" {
		return fmt.Errorf("the audit report's path is %q, not audit.json", m.Audit.Path)
	}
	return nil
}

// checkFolders checks that the folders the manifest's files lie in, under dir, are folders and not
// symlinks (OpenRegular refuses a symlink at the file itself, not at a folder on its way): a dataset's
// data/ linked elsewhere would make every reader read outside the dataset. Folders not there are left
// to the readers, which report the files missing.
func (m *Manifest) checkFolders(dir string) error {
	seen := map[string]bool{}
	for _, c := range m.Configs {
		for _, sp := range c.Splits {
			for _, f := range sp.Files {
				for p := path.Dir(f.Path); p != "." && !seen[p]; p = path.Dir(p) {
					seen[p] = true
					fi, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(p)))
					if err == nil && !fi.IsDir() {
						return fmt.Errorf("%s is not a folder (%s): refused", filepath.Join(dir, filepath.FromSlash(p)), fileKind(fi.Mode()))
					}
				}
			}
		}
	}
	return nil
}

// localPath checks that p is a clean relative slash path inside its folder: no "..", no absolute path,
// no backslash, no empty part.
func localPath(p string) error {
	if p == "" || strings.ContainsAny(p, "\\\x00") || path.Clean(p) != p || !filepath.IsLocal(filepath.FromSlash(p)) {
		return fmt.Errorf("file path %q is not a clean relative path inside the dataset", p)
	}
	return nil
}

// OpenRegular opens path for reading if it is a regular file, not a symlink, FIFO, device or folder:
// a symlink could point outside the folder the user named, and a FIFO or device could hang a read or
// never end.
func OpenRegular(path string) (*os.File, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s): refused", path, fileKind(fi.Mode()))
	}
	// The file may have been swapped since: open without following a symlink and without blocking
	// on a FIFO, and check what was opened.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	if fi, err = f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = fmt.Errorf("%s is not a regular file (%s): refused", path, fileKind(fi.Mode()))
		}
		return nil, err
	}
	return f, nil
}

// fileKind names what a non-regular file is.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symlink"
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		return "a device"
	}
	return "not a plain file"
}
