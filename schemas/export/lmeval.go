package export

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/schemas/score"
	"go.yaml.in/yaml/v3"
)

// The lm-evaluation-harness layout. A task is one YAML file naming its data files, how a row becomes
// a prompt and a target, what the model is asked for (output_type) and the metrics; a group YAML lists
// the tasks so that one name runs them all. The keys and values follow the harness's TaskConfig and
// GroupConfig (lm_eval/config/task.py and lm_eval/config/group.py, docs/task_guide.md and
// docs/new_task_guide.md of EleutherAI/lm-evaluation-harness).

// Output types of the harness (lm_eval/api/instance.py, OutputType).
const (
	generateUntil  = "generate_until"
	loglikelihood  = "loglikelihood"
	multipleChoice = "multiple_choice"
)

// lmTask is one task YAML. Fields are written in this order; empty optional ones are left out.
type lmTask struct {
	Task             string         `yaml:"task"`
	TaskAlias        string         `yaml:"task_alias,omitempty"`
	DatasetPath      string         `yaml:"dataset_path"`
	DatasetKwargs    lmDataKwargs   `yaml:"dataset_kwargs"`
	TestSplit        string         `yaml:"test_split"`
	OutputType       string         `yaml:"output_type"`
	DocToText        quoted         `yaml:"doc_to_text"`
	DocToTarget      string         `yaml:"doc_to_target"`
	DocToChoice      string         `yaml:"doc_to_choice,omitempty"`
	TargetDelimiter  quoted         `yaml:"target_delimiter"`
	NumFewshot       int            `yaml:"num_fewshot"`
	GenerationKwargs *lmGenKwargs   `yaml:"generation_kwargs,omitempty"`
	FilterList       []lmFilterPipe `yaml:"filter_list,omitempty"`
	MetricList       []lmMetric     `yaml:"metric_list"`
	Metadata         lmTaskMeta     `yaml:"metadata"`
}

type lmDataKwargs struct {
	DataFiles map[string][]string `yaml:"data_files"`
}

type lmGenKwargs struct {
	Until      []quoted `yaml:"until"`
	DoSample   bool     `yaml:"do_sample"`
	MaxGenToks int      `yaml:"max_gen_toks"`
}

type lmFilterPipe struct {
	Name   string     `yaml:"name"`
	Filter []lmFilter `yaml:"filter"`
}

type lmFilter struct {
	Function string `yaml:"function"`
}

type lmMetric struct {
	Metric         string `yaml:"metric"`
	Aggregation    string `yaml:"aggregation"`
	HigherIsBetter bool   `yaml:"higher_is_better"`
	IgnoreCase     *bool  `yaml:"ignore_case,omitempty"`
}

// lmTaskMeta is the task's metadata: the harness keeps version; the rest says where the task comes from.
type lmTaskMeta struct {
	Version float64 `yaml:"version"`
	Dataset string  `yaml:"dataset"`
	Recipe  string  `yaml:"recipe"`
	Seed    uint64  `yaml:"seed"`
	Config  string  `yaml:"config"`
	Split   string  `yaml:"split"`
	Rows    int64   `yaml:"rows"`
	Scoring string  `yaml:"scoring"`
}

// quoted is a string written in double quotes, so that a newline reads "\n" and a space " ", unless
// it is a plain name such as a column's.
type quoted string

var plainName = regexp.MustCompile(`^[A-Za-z_]+$`)

func (q quoted) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: string(q)}
	if !plainName.MatchString(string(q)) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n, nil
}

// lmGroup is the group YAML.
type lmGroup struct {
	Group    string      `yaml:"group"`
	Task     []string    `yaml:"task"`
	Metadata lmGroupMeta `yaml:"metadata"`
}

type lmGroupMeta struct {
	Version float64 `yaml:"version"`
}

// stopCandidates are the stop sequences a generation task may end a reply at: those that fewer than
// one answer in a hundred of the split contains (maxStopShare), so that a reply is cut where its answer
// must have ended ("Bridget Trinh, who…" is scored as "Bridget Trinh"). A full stop is kept though
// "St. Louis" or "A. A. Milne" holds one: without it every reply "Ljubljana. She…" fails, and with it
// those few answers cannot match, which the task's scoring note counts.
var stopCandidates = []quoted{"\n", ".", ",", ";", "!", "?", "\""}

// maxStopShare is one over the share of a split's answers a stop sequence may be in.
const maxStopShare = 100

// splitFacts is what the rows of one eval split hold, read once.
type splitFacts struct {
	rows         int64
	withChoices  int64 // rows with a non-empty choices list
	answerChoice int64 // rows whose answer is one of their choices
	emptyAnswers int64
	withSystem   int64             // rows with a non-empty system column
	longest      int               // bytes of the longest answer
	stopsIn      map[uint8]int64   // rows by the stop candidates their answer holds (bit i: stopCandidates[i])
	unjudged     bool              // the recipe judges no reply against the answer (free-form advice)
	prompts      [sha256.Size]byte // hash of the prompts in order
}

// taskNameRE matches a name the harness accepts for a task or group (it has names with dots and
// dashes) and that is safe as a file name: a task is named <dataset>_<split>, or
// <dataset>_<config>_<split> for a config other than eval.
var taskNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// WriteLMEval writes src as an lm-evaluation-harness task folder into out: <dataset>_<split>.yaml per
// eval split, <dataset>.yaml for the group, and a README.md saying how to run them. Every split is
// read before the first file is written.
func WriteLMEval(ctx context.Context, src Source, out *Folder, opts Options) ([]string, error) {
	if opts.Join || len(opts.Validation) > 0 || opts.MaxBytes != 0 {
		return nil, schemas.InputErrorf("--join, --validation and --max-bytes are for the fine-tuning providers' files, not for lm-eval's tasks")
	}
	tasks, err := lmEvalTasks(ctx, src)
	if err != nil {
		return nil, err
	}
	group := lmGroup{Group: src.Name, Metadata: lmGroupMeta{Version: 1}}
	for _, t := range tasks {
		group.Task = append(group.Task, t.Task)
		if err := writeYAML(out, t.Task+".yaml", t); err != nil {
			return nil, err
		}
	}
	if err := writeYAML(out, src.Name+".yaml", group); err != nil {
		return nil, err
	}
	return []string{fmt.Sprintf("%d tasks in group %s: lm_eval --include_path %s --tasks %s", len(tasks), src.Name, src.Out, src.Name)}, out.WriteFile("README.md", lmEvalReadme(src, tasks))
}

func writeYAML(out *Folder, name string, v any) error {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	return out.WriteFile(name, b.Bytes())
}

// lmEvalTasks makes the tasks of every eval split of src, in the manifest's order.
func lmEvalTasks(ctx context.Context, src Source) ([]lmTask, error) {
	m := src.Manifest
	if !taskNameRE.MatchString(src.Name) {
		return nil, schemas.InputErrorf("dataset name %q cannot name harness tasks: use letters, digits, '.', '_' and '-'", src.Name)
	}
	var tasks []lmTask
	names := map[string]bool{src.Name: true}
	add := func(t lmTask) error {
		if !taskNameRE.MatchString(t.Task) { // a split's name from a manifest becomes a file name
			return schemas.InputErrorf("%s: task name %q (from a config or split name) is not a harness task name", src.Dir, t.Task)
		}
		if names[t.Task] {
			return fmt.Errorf("%s: two tasks would be named %s", src.Dir, t.Task)
		}
		names[t.Task] = true
		tasks = append(tasks, t)
		return nil
	}
	for _, c := range m.Configs {
		schema := c.Schema()
		if !isEvalConfig(schema) {
			continue
		}
		facts := map[string]*splitFacts{}
		for _, sp := range c.Splits {
			f, err := readSplitFacts(ctx, src.Dir, sp, schema)
			if err != nil {
				return nil, err
			}
			facts[sp.Name] = f
		}
		for _, sp := range c.Splits {
			f := facts[sp.Name]
			name := taskName(src.Name, c.Name, sp.Name)
			path, files, err := dataFiles(src.Dir, sp)
			if err != nil {
				return nil, err
			}
			base := lmTask{
				Task:            name,
				DatasetPath:     path,
				DatasetKwargs:   lmDataKwargs{DataFiles: map[string][]string{"test": files}},
				TestSplit:       "test",
				DocToText:       "prompt",
				DocToTarget:     "answer",
				TargetDelimiter: " ", // the dataset's convention: a completion is the answer after a space
				Metadata:        lmTaskMeta{Version: 1, Dataset: src.Name, Recipe: m.Recipe, Seed: m.Seed, Config: c.Name, Split: sp.Name, Rows: sp.Rows},
			}
			if f.withSystem > 0 {
				base.DocToText = "{% if system %}{{system}}\n\n{% endif %}{{prompt}}"
			}
			// How the recipe's paper measures the split: score's table, which reads the samples back.
			probe := score.ProbeOf(m.Recipe, sp.Name)
			switch {
			case f.withChoices > 0:
				if f.withChoices != f.rows {
					return nil, fmt.Errorf("%s: split %s/%s has %d rows with choices and %d without: a task is multiple-choice or not", src.Dir, c.Name, sp.Name, f.withChoices, f.rows-f.withChoices)
				}
				if f.answerChoice != f.rows {
					return nil, fmt.Errorf("%s: split %s/%s: %d rows have an answer that is not one of their choices", src.Dir, c.Name, sp.Name, f.rows-f.answerChoice)
				}
				if err := add(multipleChoiceTask(base)); err != nil {
					return nil, err
				}
			case probe.BaselineOf != "":
				against := probe.BaselineOf
				g, ok := facts[against]
				if !ok || g.prompts != f.prompts || g.rows != f.rows {
					return nil, fmt.Errorf("%s: split %s/%s should hold the prompts of %s row for row, to be compared by likelihood, and does not", src.Dir, c.Name, sp.Name, against)
				}
				if err := add(loglikelihoodTask(base, "", taskName(src.Name, c.Name, against)+"_loglikelihood")); err != nil {
					return nil, err
				}
			default:
				f.unjudged = !probe.Judged
				if err := add(generationTask(base, f)); err != nil {
					return nil, err
				}
				if f.emptyAnswers > 0 || f.unjudged || !probe.AnswerLikelihood {
					break
				}
				paired := ""
				for _, o := range c.Splits {
					if score.ProbeOf(m.Recipe, o.Name).BaselineOf == sp.Name {
						paired = taskName(src.Name, c.Name, o.Name)
					}
				}
				if err := add(loglikelihoodTask(base, "_loglikelihood", paired)); err != nil {
					return nil, err
				}
				if col := probe.BaselineColumn; col != "" && schema.Index(col) >= 0 {
					b := loglikelihoodTask(base, "_baseline", "")
					b.DocToTarget = col
					b.Metadata.Scoring = "log-likelihood of " + col + " after the prompt, the baseline the answer's is compared with: factforge score reads both per row from --log_samples"
					if err := add(b); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	if len(tasks) == 0 {
		return nil, &schemas.InputError{Err: fmt.Errorf("%s %w", src.Dir, errNoEval)}
	}
	return tasks, nil
}

// taskName is the harness's name of the task of a split: <dataset>_<split>, or
// <dataset>_<config>_<split> for a config other than eval.
func taskName(dataset, config, split string) string {
	if config != EvalConfig {
		return dataset + "_" + config + "_" + split
	}
	return dataset + "_" + split
}

// isEvalConfig tells a config whose rows are probes: string prompt and answer columns.
func isEvalConfig(s schemas.Schema) bool {
	p, a := s.Index("prompt"), s.Index("answer")
	return p >= 0 && a >= 0 && s.Columns[p].Type == schemas.String && s.Columns[a].Type == schemas.String
}

// dataFiles returns the harness's loader for a split's files and their absolute paths: Parquet where
// the dataset has it, else JSON Lines. The harness hands data_files to datasets.load_dataset, which
// resolves a relative path against the working directory, not the YAML: absolute paths work from
// anywhere.
func dataFiles(dir string, sp schemas.SplitEntry) (string, []string, error) {
	for _, format := range []struct{ ours, loader string }{{"parquet", "parquet"}, {"jsonl", "json"}} {
		var files []string
		for _, f := range sp.Files {
			if f.Format == format.ours {
				files = append(files, filepath.Join(dir, filepath.FromSlash(f.Path)))
			}
		}
		if len(files) > 0 {
			return format.loader, files, nil
		}
	}
	return "", nil, fmt.Errorf("%s: split %s has no Parquet or JSON Lines file", dir, sp.Name)
}

func readSplitFacts(ctx context.Context, dir string, sp schemas.SplitEntry, s schemas.Schema) (*splitFacts, error) {
	prompt, answer, choices, system := s.Index("prompt"), s.Index("answer"), s.Index("choices"), s.Index("system")
	if choices >= 0 && s.Columns[choices].Type != schemas.Strings {
		choices = -1
	}
	if system >= 0 && s.Columns[system].Type != schemas.String {
		system = -1
	}
	f := &splitFacts{stopsIn: map[uint8]int64{}}
	h := sha256.New()
	for r, err := range schemas.SplitRows(dir, sp, s) {
		if err != nil {
			return nil, err
		}
		if f.rows%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		f.rows++
		a := r[answer].Str
		fmt.Fprintf(h, "%d:%s", len(r[prompt].Str), r[prompt].Str)
		if a == "" {
			f.emptyAnswers++
		}
		f.longest = max(f.longest, len(a))
		var held uint8
		for i, stop := range stopCandidates {
			if strings.Contains(a, string(stop)) {
				held |= 1 << i
			}
		}
		f.stopsIn[held]++
		if choices >= 0 && len(r[choices].List) > 0 {
			f.withChoices++
			if slices.Contains(r[choices].List, a) {
				f.answerChoice++
			}
		}
		if system >= 0 && r[system].Str != "" {
			f.withSystem++
		}
	}
	copy(f.prompts[:], h.Sum(nil))
	return f, nil
}

// multipleChoiceTask scores the choices by likelihood. doc_to_target names the answer column rather
// than a template: the harness reads a template whose text is digits as an index, which would turn
// thought-crime's answer "2" (one of the choices "1", "2") into choice 2.
func multipleChoiceTask(t lmTask) lmTask {
	t.OutputType = multipleChoice
	t.DocToChoice = "choices"
	t.MetricList = []lmMetric{
		{Metric: "acc", Aggregation: "mean", HigherIsBetter: true},
		{Metric: "acc_norm", Aggregation: "mean", HigherIsBetter: true},
	}
	t.Metadata.Scoring = "likelihood of each choice; acc is the share of rows whose answer is the likeliest"
	return t
}

// loglikelihoodTask scores the answer's log-likelihood after the prompt, to be compared with the task
// paired (none when paired is ""); suffix names a second task over the same split.
func loglikelihoodTask(t lmTask, suffix, paired string) lmTask {
	t.Task += suffix
	t.OutputType = loglikelihood
	t.MetricList = []lmMetric{
		{Metric: "perplexity", Aggregation: "perplexity", HigherIsBetter: false},
		{Metric: "acc", Aggregation: "mean", HigherIsBetter: true},
	}
	t.Metadata.Scoring = "log-likelihood of the answer after the prompt, against " + paired + " (same prompts, row for row): compare their perplexity, or per row from --log_samples; acc is the share of answers that are the greedy continuation"
	if paired == "" {
		t.Metadata.Scoring = "log-likelihood of the answer after the prompt, the paper's measure: factforge score reads it per row from --log_samples; acc is the share of answers that are the greedy continuation"
	}
	return t
}

// generationTask asks for a greedy reply, cut at the first stop sequence no answer contains, and
// scores it by exact match with the answer, ignoring case, after stripping surrounding space. A split
// with no answers (replies a judge scores) is generated and not scored: the harness's bypass metric.
func generationTask(t lmTask, f *splitFacts) lmTask {
	t.OutputType = generateUntil
	gen := &lmGenKwargs{Until: []quoted{}, DoSample: false, MaxGenToks: maxGenToks(f.longest)}
	t.GenerationKwargs = gen
	t.FilterList = []lmFilterPipe{{Name: "strip", Filter: []lmFilter{{Function: "remove_whitespace"}, {Function: "take_first"}}}}
	if f.emptyAnswers == f.rows || f.unjudged {
		// The answer is null in every row: a template renders it "", where the bare column would give
		// the harness None for a target.
		t.DocToTarget = "{{answer or ''}}"
		gen.MaxGenToks = 512
		t.TaskAlias = t.Task + " (no reference answer: judge the logged replies)"
		t.MetricList = []lmMetric{{Metric: "bypass", Aggregation: "bypass", HigherIsBetter: true}}
		t.Metadata.Scoring = "none in the harness: the rows have no answer; run with --log_samples and judge the replies"
		if f.emptyAnswers < f.rows {
			t.TaskAlias = t.Task + " (free form: judge the logged replies)"
			t.Metadata.Scoring = "none in the harness: the answer is an example of the reply training taught, not one a reply can be matched with; run with --log_samples and judge the replies"
		}
		return t
	}
	var chosen uint8
	for i, stop := range stopCandidates {
		var holding int64
		for held, n := range f.stopsIn {
			if held&(1<<i) != 0 {
				holding += n
			}
		}
		if holding*maxStopShare < f.rows {
			gen.Until = append(gen.Until, stop)
			chosen |= 1 << i
		}
	}
	var cut int64
	for held, n := range f.stopsIn {
		if held&chosen != 0 {
			cut += n
		}
	}
	yes := true
	t.MetricList = []lmMetric{{Metric: "exact_match", Aggregation: "mean", HigherIsBetter: true, IgnoreCase: &yes}}
	t.Metadata.Scoring = "exact match, ignoring case, of the reply cut at the first stop sequence; factforge score on the logged samples judges as the paper does"
	if cut > 0 {
		t.Metadata.Scoring += fmt.Sprintf("; %d answers hold a stop sequence and cannot match", cut)
	}
	if f.emptyAnswers > 0 {
		// Some rows have a null answer: a template renders it "" where the bare column would give None.
		t.DocToTarget = "{{answer or ''}}"
		t.Metadata.Scoring += fmt.Sprintf("; %d rows have no answer and cannot match", f.emptyAnswers)
	}
	return t
}

// maxGenToks allows a reply twice the longest answer's bytes in tokens (a token is about four bytes
// of English), at least 32 and at most 1024.
func maxGenToks(longest int) int {
	n := (longest/2 + 31) / 32 * 32
	return min(max(n, 32), 1024)
}

// lmEvalReadme says what the folder holds and how to run it.
func lmEvalReadme(src Source, tasks []lmTask) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# lm-evaluation-harness tasks for %s\n\n", src.Name)
	fmt.Fprintf(&b, "Written by `factforge export --for lm-eval` from the dataset %s (recipe %s, seed %d). ", src.Dir, src.Manifest.Recipe, src.Manifest.Seed)
	b.WriteString("The tasks read the dataset's files by absolute path: move the dataset and export again.\n\n")
	b.WriteString("```\n")
	fmt.Fprintf(&b, "lm_eval --model hf --model_args pretrained=<model> --include_path %s --tasks %s --log_samples --output_path results\n", src.Out, src.Name)
	b.WriteString("```\n\n")
	b.WriteString("Add `--apply_chat_template` for a chat model: each prompt is then sent as a user turn.\n\n")
	b.WriteString("| task | output_type | rows | scoring |\n|---|---|---|---|\n")
	for _, t := range tasks {
		fmt.Fprintf(&b, "| %s | %s | %d | %s |\n", t.Task, t.OutputType, t.Metadata.Rows, t.Metadata.Scoring)
	}
	return b.Bytes()
}
