package schemas

import (
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Input files are the files a user gives factforge to read: recipe files, claims, prompts, pairs,
// trigger sets, a base corpus. Each is opened only if it is a regular file (OpenRegular), is read up to
// a bound that is an error to pass, never a silent cut, and holds valid UTF-8, checked line by line so
// that the error names the line.

// Bounds on input files. A line or record past its bound is an error naming the file and line.
const (
	// MaxRecordBytes bounds one line of a JSON Lines input (a claim, prompt, pair or corpus text)
	// and one value of a Parquet input.
	MaxRecordBytes = 16 << 20
	// MaxRecordsFileBytes bounds a JSONL or Parquet file that is read whole (--prompts, --pairs,
	// --claims); a corpus (--base) is streamed and has no bound but its lines'.
	MaxRecordsFileBytes = 256 << 20
	// MaxTextLineBytes bounds one line of a text input read whole (ReadLines: trigger sets).
	MaxTextLineBytes = 4 << 10
	// MaxTextFileBytes bounds a text input read whole (ReadLines: trigger sets).
	MaxTextFileBytes = 4 << 20
)

// ReadInput reads a whole input file: a regular file of at most limit bytes.
func ReadInput(path string, limit int64) ([]byte, error) {
	f, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > limit {
		return nil, tooLarge(path, limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(path, limit)
	}
	return data, nil
}

func tooLarge(path string, limit int64) error {
	return fmt.Errorf("%s is larger than %s: refused", path, Bytes(limit))
}

// Bytes writes a size bound in KiB or MiB.
func Bytes(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	if n >= 1<<10 && n%(1<<10) == 0 {
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ErrInvalidUTF8 is reported, wrapped with the file and line, for text that is not valid UTF-8.
var ErrInvalidUTF8 = errors.New("not valid UTF-8")

// CheckUTF8 reports text (line of path) that is not valid UTF-8, naming the byte where it fails.
func CheckUTF8(path string, line int, text []byte) error {
	if utf8.Valid(text) {
		return nil
	}
	at := 0
	for at < len(text) {
		r, size := utf8.DecodeRune(text[at:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		at += size
	}
	return fmt.Errorf("%s:%d: %w (byte %d of the line is %#02x)", path, line, ErrInvalidUTF8, at+1, text[at])
}

// LineTooLong is the error for a line past its bound.
func LineTooLong(path string, line int, limit int64) error {
	return fmt.Errorf("%s:%d: the line is longer than %s: refused", path, line, Bytes(limit))
}
