package schemas

import (
	"bufio"
	"io"
	"strconv"
	"unicode/utf8"
)

// JSONLWriter writes rows as JSON Lines, keys in schema order. Errors are sticky: after one, every
// Write returns it.
type JSONLWriter struct {
	w      *bufio.Writer
	schema Schema
	keys   [][]byte // `"name":` for each column, with the separator before it
	buf    []byte
	err    error
}

// NewJSONLWriter returns a writer of rows of schema s to w.
func NewJSONLWriter(w io.Writer, s Schema) *JSONLWriter {
	jw := &JSONLWriter{w: bufio.NewWriterSize(w, 1<<16), schema: s}
	for i, c := range s.Columns {
		sep := byte(',')
		if i == 0 {
			sep = '{'
		}
		key := appendJSONString([]byte{sep}, c.Name)
		jw.keys = append(jw.keys, append(key, ':'))
	}
	return jw
}

// Write encodes one row.
func (jw *JSONLWriter) Write(r Row) error {
	if jw.err != nil {
		return jw.err
	}
	jw.buf = jw.AppendRow(jw.buf[:0], r)
	_, jw.err = jw.w.Write(jw.buf)
	return jw.err
}

// WriteEncoded writes lines that AppendRow made, such as a chunk encoded on another goroutine.
func (jw *JSONLWriter) WriteEncoded(lines []byte) error {
	if jw.err == nil {
		_, jw.err = jw.w.Write(lines)
	}
	return jw.err
}

// AppendRow appends the JSON line of a row to b. It is safe to call from several goroutines.
func (jw *JSONLWriter) AppendRow(b []byte, r Row) []byte {
	for i, c := range jw.schema.Columns {
		b = append(b, jw.keys[i]...)
		v := r[i]
		if v.Null && c.Nullable {
			b = append(b, "null"...)
			continue
		}
		switch c.Type {
		case String:
			b = appendJSONString(b, v.Str)
		case Int64:
			b = strconv.AppendInt(b, v.Int, 10)
		case Bool:
			b = strconv.AppendBool(b, v.Bool)
		case Messages, ReasoningMessages:
			b = append(b, '[')
			for j, m := range v.Msgs {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"role":`...)
				b = appendJSONString(b, m.Role)
				b = append(b, `,"content":`...)
				b = appendJSONString(b, m.Content)
				if c.Type == ReasoningMessages {
					b = append(b, `,"reasoning_content":`...)
					b = appendJSONString(b, m.Reasoning)
				}
				b = append(b, '}')
			}
			b = append(b, ']')
		case Strings:
			b = append(b, '[')
			for j, x := range v.List {
				if j > 0 {
					b = append(b, ',')
				}
				b = appendJSONString(b, x)
			}
			b = append(b, ']')
		case Spans:
			b = append(b, '[')
			for j, sp := range v.Spans {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"start":`...)
				b = strconv.AppendInt(b, sp.Start, 10)
				b = append(b, `,"end":`...)
				b = strconv.AppendInt(b, sp.End, 10)
				b = append(b, '}')
			}
			b = append(b, ']')
		}
	}
	if len(jw.keys) == 0 {
		b = append(b, '{')
	}
	return append(b, '}', '\n')
}

// Close flushes buffered output; it does not close the underlying writer.
func (jw *JSONLWriter) Close() error {
	if jw.err == nil {
		jw.err = jw.w.Flush()
	}
	return jw.err
}

const hexDigits = "0123456789abcdef"

// plainASCII marks the ASCII bytes a JSON string holds as they are.
var plainASCII = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// Word-at-a-time tests (SWAR): ones has a one in every byte, high the top bit of every byte.
const (
	ones = 0x0101010101010101
	high = 0x8080808080808080
)

// load64 reads the first eight bytes of s as one little-endian word: with s cut to eight bytes, the
// compiler makes it a single load with a single bounds check.
func load64(s string) uint64 {
	s = s[:8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// zeroByte has the top bit set in some byte if and only if some byte of x is zero.
func zeroByte(x uint64) uint64 { return (x - ones) &^ x & high }

// plainWord reports whether all eight bytes of x are ASCII that JSON strings hold as they are: none is
// a control character, non-ASCII, or one of " & < > \\. Setting one bit makes a pair of those one test:
// b|2 is '>' only for '<' and '>', b|4 is '&' only for '"' and '&'.
func plainWord(x uint64) bool {
	special := (x - ones*0x20) &^ x // a byte below 0x20 (exact for ASCII bytes)
	special |= zeroByte((x | ones*2) ^ (ones * '>'))
	special |= zeroByte((x | ones*4) ^ (ones * '&'))
	special |= zeroByte(x ^ (ones * '\\'))
	return (special|x)&high == 0
}

// appendJSONString appends s as a JSON string, escaped as encoding/json escapes it (HTML characters
// included), with invalid UTF-8 replaced by U+FFFD. It is the hot path of JSONL output, where
// encoding/json's reflection would dominate.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		// Eight bytes at a time while none needs a second look: most text is plain ASCII.
		if i+8 <= len(s) && plainWord(load64(s[i:i+8])) {
			i += 8
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if plainASCII[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
