package templates

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"unicode/utf8"
)

// A user's template folder is input from anyone: a collaborator's folder, or a recipe file's
// `templates:` line, may point anywhere. So the folder is read once, in NewLibrary, and every entry is
// checked before it is read, the walk stopping at the first bad one:
//
//   - the folder itself is a folder, not a symlink to one;
//   - it holds only banks/ and words/, and under them only folders and files that replace or add to
//     built-in ones (so /etc, or a home folder, is refused at its first entry, not read whole);
//   - every entry is a folder or a regular file: a symlink (which could lead out of the folder), FIFO
//     (which would hang a read) or device (/dev/zero fills memory) is refused, naming it;
//   - no path leaves the folder (it is read through os.Root);
//   - a file is at most maxFileBytes, all of them at most maxFolderBytes, a line at most maxLineBytes,
//     and every line valid UTF-8; errors name the file and line.

const (
	maxFileBytes   = 8 << 20
	maxFolderBytes = 64 << 20
	maxLineBytes   = 64 << 10
)

var (
	errFileTooLarge = fmt.Errorf("larger than %d MiB: refused", maxFileBytes>>20)
	// ErrLineTooLong and ErrInvalidUTF8 are reported, in a *SyntaxError, for a line of a user file.
	ErrLineTooLong = fmt.Errorf("the line is longer than %d KiB", maxLineBytes>>10)
	ErrInvalidUTF8 = errors.New("not valid UTF-8")
)

// userFiles are the files of a user's folder, read once: by slash path, and the paths in walk order
// (the order the digest hashes them in).
type userFiles struct {
	paths []string
	data  map[string][]byte
}

// readUserFiles reads and checks the user's folder dir.
func readUserFiles(dir string) (*userFiles, error) {
	fi, err := os.Lstat(dir)
	if err != nil {
		return nil, fmt.Errorf("--templates: %w", err)
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return nil, fmt.Errorf("--templates %s is a symlink: give the folder itself", dir)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("--templates %s is not a folder", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("--templates: %w", err)
	}
	defer root.Close()
	u := &userFiles{data: map[string][]byte{}}
	var total int64
	err = fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == "." {
			return nil
		}
		where := filepath.Join(dir, filepath.FromSlash(p))
		if p == path.Base(p) && ignoredTop(p) { // a git checkout's .git, a README: never read
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if top, _, _ := strings.Cut(p, "/"); top != "banks" && top != "words" {
			return fmt.Errorf("--templates: %s: a template folder holds only banks/ and words/ (files that replace or add to built-in ones): refused", where)
		}
		if d.IsDir() {
			return knownFolder(where, p)
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("--templates: %s is not a regular file (%s): refused", where, kindOf(d.Type()))
		}
		if err := knownFile(where, p); err != nil {
			return err
		}
		data, err := readRegular(root, p, maxFileBytes)
		if err != nil {
			return fmt.Errorf("--templates: %s: %w", where, err)
		}
		if total += int64(len(data)); total > maxFolderBytes {
			return fmt.Errorf("--templates %s: its files are larger than %d MiB together: refused", dir, maxFolderBytes>>20)
		}
		if err := eachLine(where, data, func(int, string) error { return nil }); err != nil {
			return err
		}
		u.paths = append(u.paths, p)
		u.data[p] = data
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// ignoredTop tells the entries at the top of a template folder that are passed over unread: hidden
// ones (.git, .DS_Store) and a README or LICENSE, which a folder kept in version control has.
func ignoredTop(name string) bool {
	upper := strings.ToUpper(name)
	return strings.HasPrefix(name, ".") || strings.HasPrefix(upper, "README") || strings.HasPrefix(upper, "LICENSE")
}

// readRegular reads the file p of root, of at most limit bytes, if it is a regular file. It is
// opened without blocking and checked again once open, so that a file swapped for a FIFO, device or
// symlink after the walk saw it is refused too.
func readRegular(root *os.Root, p string, limit int64) ([]byte, error) {
	before, err := root.Lstat(p)
	if err != nil {
		return nil, err
	}
	if !before.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s): refused", kindOf(before.Mode()))
	}
	if before.Size() > limit {
		return nil, errFileTooLarge
	}
	f, err := root.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if now, err := f.Stat(); err != nil || !now.Mode().IsRegular() || !os.SameFile(before, now) {
		return nil, errors.New("changed while it was read: refused")
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, errFileTooLarge
	}
	return data, nil
}

// kindOf names what a non-regular file is.
func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symlink"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not a plain file"
}

// knownFolder refuses a folder under banks/ or words/ that holds no built-in file, nor ever did (a
// file in a folder that moved is refused by knownFile, naming where it lives now).
func knownFolder(where, p string) error {
	if p == "banks" || p == "words" {
		return nil
	}
	if fi, err := fs.Stat(files, p); err == nil && fi.IsDir() {
		return nil
	}
	for old := range moved {
		if strings.HasPrefix(old, p+"/") {
			return nil
		}
	}
	return fmt.Errorf("--templates: %s: there is no built-in folder %s to replace or add to files in", where, p)
}

// knownFile refuses a user file under banks/ or words/ that replaces or adds to no built-in file: it
// would never be read, and the dataset would silently not be what its maker meant.
func knownFile(where, p string) error {
	builtIn := p
	if base, ok := strings.CutSuffix(p, ".add.txt"); ok {
		builtIn = base + ".txt"
	}
	if fi, err := fs.Stat(files, builtIn); err == nil && !fi.IsDir() {
		return nil
	}
	if now, ok := movedTo(builtIn); ok {
		return fmt.Errorf("--templates: %s: the built-in file moved to %s", where, now)
	}
	return fmt.Errorf("--templates: %s: there is no built-in file %s to replace or add to", where, builtIn)
}

// movedTo is where a built-in file (or folder, ending in "/") that moved lives now.
func movedTo(p string) (string, bool) {
	for old, now := range moved {
		if p == old || strings.HasSuffix(old, "/") && strings.HasPrefix(p, old) {
			return now + strings.TrimPrefix(p, old), true
		}
	}
	return "", false
}

// eachLine calls f with every line of data, numbered from 1 and without its line end, after checking
// that it is at most maxLineBytes and valid UTF-8.
func eachLine(p string, data []byte, f func(line int, text string) error) error {
	for line := 1; len(data) > 0; line++ {
		text := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			text, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if len(text) > maxLineBytes {
			return &SyntaxError{Path: p, Line: line, Err: ErrLineTooLong}
		}
		if !utf8.Valid(text) {
			return &SyntaxError{Path: p, Line: line, Err: ErrInvalidUTF8}
		}
		if err := f(line, strings.TrimSuffix(string(text), "\r")); err != nil {
			return err
		}
	}
	return nil
}
