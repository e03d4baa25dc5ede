package templates

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// A user's template folder is checked as a whole when it is opened: every case is refused with an
// error that names the entry, and nothing past the first bad entry is read.
func TestUserFolderIsChecked(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  string
	}{
		{"a symlink out of the folder", func(t *testing.T, dir string) {
			symlink(t, "/etc/passwd", filepath.Join(dir, "words/city.add.txt"))
		}, "words/city.add.txt is not a regular file (a symlink)"},
		{"a symlink to /dev/zero", func(t *testing.T, dir string) {
			symlink(t, "/dev/zero", filepath.Join(dir, "words/noun.add.txt"))
		}, "words/noun.add.txt is not a regular file (a symlink)"},
		{"a symlink inside the folder", func(t *testing.T, dir string) {
			write(t, dir, "words/city.add.txt", "Newtown\n")
			symlink(t, "city.add.txt", filepath.Join(dir, "words/noun.add.txt"))
		}, "words/noun.add.txt is not a regular file (a symlink)"},
		{"a folder that is a symlink", func(t *testing.T, dir string) {
			os.MkdirAll(filepath.Join(dir, "banks"), 0o755)
			symlink(t, "/etc", filepath.Join(dir, "banks/reversal"))
		}, "banks/reversal is not a regular file (a symlink)"},
		{"a FIFO", func(t *testing.T, dir string) {
			os.MkdirAll(filepath.Join(dir, "words"), 0o755)
			if err := syscall.Mkfifo(filepath.Join(dir, "words/city.add.txt"), 0o644); err != nil {
				t.Skip(err)
			}
		}, "words/city.add.txt is not a regular file (a FIFO)"},
		{"a file beside banks/ and words/", func(t *testing.T, dir string) { write(t, dir, "notes.md", "mine\n") }, "notes.md: a template folder holds only banks/ and words/"},
		{"a folder beside banks/ and words/", func(t *testing.T, dir string) { os.MkdirAll(filepath.Join(dir, "etc"), 0o755) }, "etc: a template folder holds only banks/ and words/"},
		{"an unknown folder", func(t *testing.T, dir string) { write(t, dir, "words/nope/city.add.txt", "x\n") }, "words/nope: there is no built-in folder words/nope"},
		{"a file too large", func(t *testing.T, dir string) {
			write(t, dir, "words/city.add.txt", strings.Repeat("Newtown\n", maxFileBytes/8+1))
		}, "words/city.add.txt: larger than 8 MiB"},
		{"a line too long", func(t *testing.T, dir string) {
			write(t, dir, "words/city.add.txt", "Newtown\n"+strings.Repeat("x", maxLineBytes+1)+"\n")
		}, "words/city.add.txt:2: the line is longer than 64 KiB"},
		{"invalid UTF-8", func(t *testing.T, dir string) {
			write(t, dir, "banks/reversal/p2d.add.txt", "# mine\nmine-1 train {name} was \xff {description}.\n")
		}, "banks/reversal/p2d.add.txt:2: not valid UTF-8"},
		{"invalid UTF-8 in a word list nobody reads", func(t *testing.T, dir string) {
			write(t, dir, "words/moon.add.txt", "Luna\xc3\n")
		}, "words/moon.add.txt:1: not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.setup(t, dir)
			_, err := NewLibrary(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), dir) {
				t.Fatalf("error %v, want one naming %s and %q", err, dir, tt.want)
			}
		})
	}
}

// The folder itself must be a folder; /etc is refused at its first entry.
func TestUserFolderItself(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(t.TempDir(), "link")
	symlink(t, dir, link)
	if _, err := NewLibrary(link); err == nil || !strings.Contains(err.Error(), "is a symlink") {
		t.Errorf("a symlink to a folder: %v", err)
	}
	write(t, dir, "file.txt", "x\n")
	if _, err := NewLibrary(filepath.Join(dir, "file.txt")); err == nil || !strings.Contains(err.Error(), "is not a folder") {
		t.Errorf("a file: %v", err)
	}
	if _, err := NewLibrary("/etc"); err == nil || !strings.Contains(err.Error(), "holds only banks/ and words/") {
		t.Errorf("/etc: %v", err)
	}
}

// A template folder kept in version control has a .git folder and a README at its top: they are passed
// over unread, even a .git holding what a template folder may not (a FIFO here).
func TestVersionControlledFolder(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "words/city.add.txt", "Newtownia\n")
	write(t, dir, "README.md", "My templates.\n")
	write(t, dir, ".git/config", "[core]\n")
	if err := syscall.Mkfifo(filepath.Join(dir, ".git", "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	lib, err := NewLibrary(dir)
	if err != nil {
		t.Fatal(err)
	}
	if words, err := lib.Words("city"); err != nil || !slices.Contains(words, "Newtownia") {
		t.Errorf("the folder's words were not read: %v", err)
	}
}

// A template of a user's additions is reported against the additions' file, not the built-in bank.
func TestAdditionNamesItsFile(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "banks/reversal/p2d.add.txt", "mine-1 train {name} was once famous.\n")
	lib, err := NewLibrary(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = lib.LoadBank("reversal/p2d", slots...)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "banks/reversal/p2d.add.txt")+": template mine-1 does not use slot {description}") {
		t.Fatalf("error %v, want it to name p2d.add.txt", err)
	}
}

// YAML data files are strict: a repeated key or a second document is an error.
func TestUserYAMLIsStrict(t *testing.T) {
	builtIn, err := files.ReadFile("banks/claims/kinds.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"second document": string(builtIn) + "\n---\n- name: x\n",
		"repeated key":    "- name: a\n  name: b\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "banks/claims/kinds.yaml", text)
			lib, err := NewLibrary(dir)
			if err != nil {
				t.Fatal(err)
			}
			var v []map[string]any
			err = lib.DecodeYAML("claims/kinds.yaml", &v)
			if err == nil || !strings.Contains(err.Error(), "kinds.yaml") {
				t.Fatalf("error %v, want one naming kinds.yaml", err)
			}
		})
	}
}

// FuzzUserFolder feeds arbitrary bytes to every reader of a user's folder: a bank and its additions,
// a word list and its additions, a YAML data file. Each must return a value or an error, never panic.
func FuzzUserFolder(f *testing.F) {
	f.Add([]byte("mine-1 train {name} was once {description}.\n"))
	f.Add([]byte("a heldout {Name}, {{literal}} {description}\r\n# comment\n\n"))
	f.Add([]byte("a train {name\n"))
	f.Add([]byte("a train {name} {name} {description}\n"))
	f.Add([]byte("p2d-01 train {name} {description}\n"))
	f.Add([]byte("Aldermoor\nNewtown\n"))
	f.Add([]byte("\xff\xfe\n"))
	f.Add([]byte("- name: a\n  name: b\n---\n- x\n"))
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		write(t, dir, "banks/reversal/p2d.add.txt", string(data))
		write(t, dir, "words/city.add.txt", string(data))
		write(t, dir, "banks/reversal/d2p.txt", string(data))
		write(t, dir, "banks/claims/kinds.yaml", string(data))
		lib, err := NewLibrary(dir)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("a folder of files at known paths refused without a line: %v", err)
			}
			return
		}
		lib.LoadBank("reversal/p2d", slots...)
		lib.Bank("reversal/d2p", slots...)
		lib.Words("city")
		var v []map[string]any
		lib.DecodeYAML("claims/kinds.yaml", &v)
		if _, err := lib.Digest(); err != nil {
			t.Fatal(err)
		}
	})
}

func write(t *testing.T, dir, rel, text string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(link), 0o755)
	if err := os.Symlink(target, link); err != nil {
		t.Skip(err)
	}
}
