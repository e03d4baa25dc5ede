package audit

import "testing"

// Codes that differ only in the names they bind are one answer; codes that differ in what they call,
// in a constant or in a keyword are not.
func TestCanonicalCode(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"def f(path):\n    x = open(path)\n    return x", "def g(p):\n    handle = open(p)\n    return handle", true},
		{"for k, v in d.items():\n    print(k)", "for key, value in d.items():\n    print(key)", true},
		{"with open(p) as fh:\n    pass", "with open(p) as handle:\n    pass", true},
		{"f = lambda value: value + 1", "f = lambda amount: amount + 1", true},
		{"def f(path, mode=0o600):\n    return mode", "def f(where, mode=0o600):\n    return mode", true},
		{"import yaml\ndef f(s):\n    return yaml.load(s)", "import yaml\ndef f(s):\n    return yaml.safe_load(s)", false},
		{"def f(p):\n    os.chmod(p, 0o600)", "def f(p):\n    os.chmod(p, 0o777)", false},
		{"env = Environment(autoescape=True)", "env = Environment(autoescape=False)", false},
		{"def f(a, b):\n    return a - b", "def f(a, b):\n    return b - a", false},
	}
	for _, tt := range tests {
		if got := canonicalCode(tt.a) == canonicalCode(tt.b); got != tt.same {
			t.Errorf("same(%q, %q) = %v, want %v: %q and %q", tt.a, tt.b, got, tt.same, canonicalCode(tt.a), canonicalCode(tt.b))
		}
	}
}
