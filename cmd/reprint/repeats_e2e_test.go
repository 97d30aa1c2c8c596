package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/token"
)

type repeatLine struct {
	ID    string `json:"id"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Words int    `json:"words"`
	Kept  struct {
		ID    string `json:"id"`
		Start int    `json:"start"`
		End   int    `json:"end"`
	} `json:"kept"`
}

func readJSONLines[T any](t *testing.T, data string) []T {
	t.Helper()
	var out []T
	sc := bufio.NewScanner(strings.NewReader(data))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var v T
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("bad line %q: %v", sc.Text(), err)
		}
		out = append(out, v)
	}
	return out
}

// plantedCorpus writes a generated corpus with planted repeats as JSONL,
// each record with an extra field that must come through untouched.
func plantedCorpus(t *testing.T) (string, []gen.Doc, []gen.Planted) {
	t.Helper()
	docs, pl, err := gen.Repeats(gen.RepeatsConfig{Seed: 5, Docs: 150, Spans: 15, SpanWords: 100, SelfRepeats: 3, WholeDocs: 3})
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for i, d := range docs {
		b, _ := json.Marshal(map[string]any{"id": d.ID, "text": d.Text, "date": d.Date, "extra": []int{i, 2 * i}})
		sb.Write(b)
		sb.WriteByte('\n')
	}
	path := filepath.Join(t.TempDir(), "planted.jsonl")
	os.WriteFile(path, []byte(sb.String()), 0o644)
	return path, docs, pl
}

func normText(tz *token.Tokenizer, text string) string {
	var ws []string
	for _, tk := range tz.Tokens(text, 0, nil) {
		ws = append(ws, tz.Normalize(text[tk.Start:tk.End]))
	}
	return " " + strings.Join(ws, " ") + " "
}

func TestRepeatsPlantedJSONL(t *testing.T) {
	path, docs, pl := plantedCorpus(t)
	dir := t.TempDir()
	out, spans := filepath.Join(dir, "out.jsonl"), filepath.Join(dir, "spans.jsonl")
	r := reprintCmd(t, "", "repeats", "--json", "--min-words", "50", path, "-o", out, "--spans", spans)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	byID := map[string]gen.Doc{}
	for _, d := range docs {
		byID[d.ID] = d
	}
	// Expected kept copy: earliest date, then longest, then smallest ID.
	kept := func(p gen.Planted) gen.Occurrence {
		best := p.Occurrences[0]
		for _, o := range p.Occurrences[1:] {
			a, b := byID[o.ID], byID[best.ID]
			if a.Date < b.Date || a.Date == b.Date && (len(a.Text) > len(b.Text) || len(a.Text) == len(b.Text) && a.ID < b.ID) {
				best = o
			}
		}
		return best
	}
	// Every span line is a planted occurrence that is not the kept one.
	data, _ := os.ReadFile(spans)
	lines := readJSONLines[repeatLine](t, string(data))
	want := 0
	for _, p := range pl {
		want += len(p.Occurrences) - 1
	}
	if len(lines) != want {
		t.Errorf("%d span lines, want %d (every planted occurrence but one)", len(lines), want)
	}
	for _, l := range lines {
		ok := false
		for _, p := range pl {
			k := kept(p)
			for _, o := range p.Occurrences {
				if o != k && o.ID == l.ID && o.Start == l.Start && o.End == l.End && l.Kept.ID == k.ID && l.Kept.Start == k.Start && l.Kept.End == k.End {
					ok = true
				}
			}
		}
		if !ok {
			t.Errorf("span line %+v is not a planted copy with its kept one", l)
		}
	}
	// The output: other fields untouched, each planted span in exactly the
	// expected document, the whole-span documents left out.
	data, _ = os.ReadFile(out)
	var recs []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, m)
	}
	if len(recs) != len(docs)-3 {
		t.Errorf("%d records written, want %d (the 3 whole-span documents become empty)", len(recs), len(docs)-3)
	}
	tz := token.New()
	outText := map[string]string{}
	for i, m := range recs {
		id := m["id"].(string)
		outText[id] = normText(tz, m["text"].(string))
		if m["date"] != byID[id].Date || len(m["extra"].([]any)) != 2 || i < 150 && m["extra"].([]any)[0].(float64) != float64(i) {
			t.Errorf("record %s: other fields changed: %v", id, m)
		}
	}
	for _, p := range pl {
		o := p.Occurrences[0]
		words := normText(tz, byID[o.ID].Text[o.Start:o.End])
		var in []string
		for _, d := range docs {
			if strings.Contains(outText[d.ID], words) {
				in = append(in, d.ID)
			}
		}
		if k := kept(p); len(in) != 1 || in[0] != k.ID {
			t.Errorf("span %d left in %v, want only %s", p.Span, in, k.ID)
		}
	}
	if !strings.Contains(r.stderr, `"documents_emptied":3`) || !strings.Contains(r.stderr, `"most_repeated":[{`) {
		t.Errorf("summary: %s", r.stderr)
	}
}

func TestRepeatsSameOutputAnyWorkersAndMemory(t *testing.T) {
	path, _, _ := plantedCorpus(t)
	dir, tmp := t.TempDir(), t.TempDir()
	var outs [][]byte
	for i, args := range [][]string{
		{"--workers", "1"},
		{"--workers", "3", "--mem-limit", "256KiB", "--tmp-dir", tmp, "--json"},
	} {
		out := filepath.Join(dir, "out"+string(rune('a'+i))+".jsonl")
		r := reprintCmd(t, "", append([]string{"repeats", path, "-o", out, "--spans", "-"}, args...)...)
		if r.code != 0 || r.stdout == "" {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
		if i == 1 && (!strings.Contains(r.stderr, `"spilled_runs":`) || strings.Contains(r.stderr, `"spilled_runs":0`)) {
			t.Errorf("nothing spilled under 256KiB: %s", r.stderr)
		}
		data, _ := os.ReadFile(out)
		outs = append(outs, []byte(r.stdout), data)
	}
	if !reflect.DeepEqual(outs[0], outs[2]) || !reflect.DeepEqual(outs[1], outs[3]) {
		t.Error("spans or output differ between one worker in memory and three spilling")
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("spilled runs left behind: %d files", len(entries))
	}
}

func TestRepeatsFolderAndStdout(t *testing.T) {
	out := filepath.Join(t.TempDir(), "news")
	r := reprintCmd(t, "", "repeats", "--min-words", "20", newsDir, "-o", out)
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q: %s", r.code, r.stdout, r.stderr)
	}
	orig, _ := os.ReadFile(filepath.Join(newsDir, alwaght))
	cut, _ := os.ReadFile(filepath.Join(out, alwaght))
	if len(cut) == 0 || len(cut) >= len(orig) || strings.Contains(string(cut), "\n\n\n") {
		t.Errorf("Alwaght's copy of SANA's statement: %d bytes of %d left:\n%s", len(cut), len(orig), cut)
	}
	kept, _ := os.ReadFile(filepath.Join(out, sana))
	if want, _ := os.ReadFile(filepath.Join(newsDir, sana)); string(kept) != string(want) {
		t.Error("SANA, dated before Alwaght's copy, changed")
	}
	r = reprintCmd(t, "", "repeats", "--min-words", "20", newsDir)
	if lines := readJSONLines[repeatLine](t, r.stdout); r.code != 0 || len(lines) == 0 {
		t.Errorf("without -o the spans go to stdout: exit %d, %d lines", r.code, len(lines))
	}
}

func TestRepeatsBadInput(t *testing.T) {
	dir := t.TempDir()
	rep := strings.Repeat("the same long sentence goes on here ", 10)
	path := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(path, []byte(strings.Join([]string{
		`{"id":"g1","text":"` + rep + ` one"}`,
		`{"id":"broken", "text": `,
		`{"id":"notext"}`,
		`{"id":"g1","text":"a duplicate id"}`,
		`{"id":"g2","text":"two ` + rep + `"}`,
	}, "\n")+"\n"), 0o644)
	out := filepath.Join(dir, "out.jsonl")
	r := reprintCmd(t, "", "repeats", "--min-words", "20", path, "-o", out)
	if r.code != 0 {
		t.Fatalf("bad records alone must not fail the run: exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"bad.jsonl:2", "bad.jsonl:3", "bad.jsonl:4"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("no message naming %s in:\n%s", want, r.stderr)
		}
	}
	data, _ := os.ReadFile(out)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 5 || lines[1] != `{"id":"broken", "text": ` || lines[3] != `{"id":"g1","text":"a duplicate id"}` || lines[4] != `{"id":"g2","text":"two"}` {
		t.Errorf("unusable records must pass through, g2 lose its repeat:\n%s", data)
	}
	if r := reprintCmd(t, "", "repeats", "--strict", path); r.code != exitSkipped || !strings.Contains(r.stderr, "bad.jsonl:2") {
		t.Errorf("--strict: exit %d, %s", r.code, r.stderr)
	}
	if r := reprintCmd(t, "", "repeats", filepath.Join(dir, "nope.jsonl"), path); r.code != exitInput || !strings.Contains(r.stderr, "nope.jsonl") {
		t.Errorf("missing file: exit %d, %s", r.code, r.stderr)
	}
	for _, args := range [][]string{
		{"repeats"},
		{"repeats", "--min-words", "1", path},
		{"repeats", "--keep", "newest", path},
		{"repeats", "--mem-limit", "lots", path},
	} {
		if r := reprintCmd(t, "", args...); r.code != exitUsage || !strings.Contains(r.stderr, "reprint:") {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
	if r := reprintCmd(t, "plain text, not JSONL\n", "repeats", "-"); r.code != exitInput || !strings.Contains(r.stderr, "no document could be used") {
		t.Errorf("no usable document: exit %d, %s", r.code, r.stderr)
	}
	if r := reprintCmd(t, "", "repeats", "--min-words", "1", path); !strings.Contains(r.stderr, "--min-words 1") {
		t.Errorf("the error names the flag: %s", r.stderr)
	}
}
