package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reprint/reprint/gen"
)

const (
	newsDir  = "../../testdata/news"
	newsMeta = "../../testdata/news-meta.jsonl"
	alwaght  = "000_a2e0a91b0cb3cf6c.txt"
	sana     = "001_e55fcabe4c6a2c3c.txt"
)

type passageLine struct {
	A           string  `json:"a"`
	AStart      int     `json:"a_start"`
	AEnd        int     `json:"a_end"`
	B           string  `json:"b"`
	BStart      int     `json:"b_start"`
	BEnd        int     `json:"b_end"`
	Words       int     `json:"words"`
	Score       float64 `json:"score"`
	Identity    float64 `json:"identity"`
	Kind        string  `json:"kind"`
	Direction   string  `json:"direction"`
	Group       string  `json:"group"`
	Boilerplate bool    `json:"boilerplate"`
}

func parsePassages(t *testing.T, s string) []passageLine {
	t.Helper()
	var out []passageLine
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var p passageLine
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			t.Fatalf("bad output line %q: %v", sc.Text(), err)
		}
		var m map[string]any
		json.Unmarshal(sc.Bytes(), &m)
		delete(m, "a_text_of") // present only for text extracted from HTML
		delete(m, "b_text_of")
		if len(m) != 13 {
			t.Fatalf("line has %d fields, want the 13 of the reuse shape: %s", len(m), sc.Text())
		}
		out = append(out, p)
	}
	return out
}

// copiedPhrases are stretches of SANA's statement (001) that Alwaght (000)
// copied, read off the two texts by hand (as in align's tests). Each must
// lie inside one reported passage in both files.
var copiedPhrases = []string{
	"so-called alliance about the liberation of Raqqa city",
	"divert international public opinion from the crimes committed by this alliance",
	"illegitimate alliance are misleading the international community",
	"deliberate and barbaric bombardment of the city",
	"forced tens of thousands of locals to leave the city",
	"celebrating what they call the liberation of Raqqa over the bodies",
	"seize humanitarian aid meant to save the lives",
	"wouldn’t have exited Raqqa and went to other areas",
	"can only be considered liberated when the Syrian Arab Army enters it",
	"act of scam and fraud on the public opinion",
	"cover up the destruction they caused in Raqqa",
}

func readNews(t *testing.T, id string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(newsDir, id))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestReuseNews(t *testing.T) {
	r := reprintCmd(t, "", "reuse", "--json", newsDir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	ps := parsePassages(t, r.stdout)
	if len(ps) == 0 {
		t.Fatal("no passages in the news")
	}
	ta, tb := readNews(t, alwaght), readNews(t, sana)
	for _, p := range ps {
		// Only the reprint: the other articles retell the story, and no
		// passage of 15 words or more may join them.
		if p.A != alwaght || p.B != sana {
			t.Errorf("passage between %s and %s: %+v", p.A, p.B, p)
			continue
		}
		if p.Direction != "unknown" {
			t.Errorf("direction %q but Alwaght's article has no date", p.Direction)
		}
		if p.Words < 15 || p.Identity < 0.6 || p.Identity > 1 || p.Score <= 0 || p.Group == "" {
			t.Errorf("implausible passage %+v", p)
		}
	}
	for _, ph := range copiedPhrases {
		as, bs := strings.Index(ta, ph), strings.Index(tb, ph)
		if as < 0 || bs < 0 {
			t.Fatalf("phrase %q not in both texts", ph)
		}
		ok := false
		for _, p := range ps {
			ok = ok || p.AStart <= as && as+len(ph) <= p.AEnd && p.BStart <= bs && bs+len(ph) <= p.BEnd
		}
		if !ok {
			t.Errorf("copied phrase %q is not covered by one passage in both files", ph)
		}
	}
	var sum struct {
		Stats struct {
			Docs     int `json:"documents"`
			Passages int `json:"passages"`
		} `json:"stats"`
	}
	if err := json.Unmarshal([]byte(r.stderr), &sum); err != nil || sum.Stats.Docs != 5 || sum.Stats.Passages != len(ps) {
		t.Errorf("summary %q: %+v %v", r.stderr, sum, err)
	}

	// With the sidecar's dates SANA's statement is first: b -> a.
	m := reprintCmd(t, "", "reuse", "--meta", newsMeta, newsDir)
	if m.code != 0 {
		t.Fatalf("--meta: exit %d: %s", m.code, m.stderr)
	}
	withMeta := parsePassages(t, m.stdout)
	if len(withMeta) != len(ps) {
		t.Fatalf("%d passages with --meta, %d without", len(withMeta), len(ps))
	}
	for _, p := range withMeta {
		if p.Direction != "b->a" {
			t.Errorf("direction %q with dates, want b->a", p.Direction)
		}
	}
	if !strings.Contains(m.stderr, "5 documents matched, 0 IDs not in the corpus") {
		t.Errorf("summary does not report the sidecar: %s", m.stderr)
	}
}

func TestReuseSameForAnyWorkers(t *testing.T) {
	cfg := gen.DefaultConfig()
	cfg.Docs, cfg.Seed, cfg.MeanWords, cfg.Passages, cfg.PassageWords = 1500, 9, 150, 80, 40
	path := filepath.Join(t.TempDir(), "c.jsonl")
	f, _ := os.Create(path)
	if _, err := gen.WriteJSONL(f, cfg); err != nil {
		t.Fatal(err)
	}
	f.Close()
	one := reprintCmd(t, "", "reuse", "--workers", "1", path)
	three := reprintCmd(t, "", "reuse", "--workers", "3", path)
	if one.code != 0 || three.code != 0 {
		t.Fatalf("exit %d / %d: %s %s", one.code, three.code, one.stderr, three.stderr)
	}
	if one.stdout != three.stdout {
		t.Fatal("output differs between --workers 1 and 3")
	}
	ps := parsePassages(t, one.stdout)
	if len(ps) < 80 {
		t.Fatalf("only %d passages", len(ps))
	}
	for i := 1; i < len(ps); i++ {
		x, y := ps[i-1], ps[i]
		if x.A > y.A || x.A == y.A && (x.B > y.B || x.B == y.B && x.AStart > y.AStart) {
			t.Fatalf("not sorted by a, b, a_start: %+v then %+v", x, y)
		}
	}
	for _, p := range ps {
		if p.A >= p.B {
			t.Fatalf("a >= b: %+v", p)
		}
	}
}

func TestReuseBadInput(t *testing.T) {
	dir := t.TempDir()
	shared := "the committee said on Tuesday that the new bridge over the northern river would open to traffic in the spring after two years of delays"
	lines := strings.Join([]string{
		`{"id":"g1","text":"First story. ` + shared + `. More of the first."}`,
		`{"id":"broken", "text": `,
		`{"id":"notext"}`,
		`{"id":"g2","text":"Second story, elsewhere: ` + shared + `, officials added."}`,
	}, "\n") + "\n"
	path := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(path, []byte(lines), 0o644)
	meta := filepath.Join(dir, "meta.jsonl")
	os.WriteFile(meta, []byte(`{"id":"g1","date":"2020-01-02","source":"A"}
{"id":"g2","date":"2020-01-05"
{"id":"g2","date":"2020-13-01"}
{"id":"nowhere","date":"2020-01-01"}
`), 0o644)

	r := reprintCmd(t, "", "reuse", "--meta", meta, path)
	if r.code != 0 {
		t.Fatalf("bad records alone must not fail the run: exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"bad.jsonl:2", "bad.jsonl:3", "meta.jsonl:2", "meta.jsonl:3: bad date", "skipped: 2 records", "1 IDs not in the corpus", "2 bad lines"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("no %q in:\n%s", want, r.stderr)
		}
	}
	ps := parsePassages(t, r.stdout)
	if len(ps) != 1 || ps[0].A != "g1" || ps[0].B != "g2" || ps[0].Direction != "unknown" {
		t.Errorf("passages %+v", ps)
	}

	r = reprintCmd(t, "", "reuse", "--strict", path)
	if r.code != exitSkipped || !strings.Contains(r.stderr, "bad.jsonl:2") {
		t.Errorf("--strict: exit %d, %s", r.code, r.stderr)
	}
	r = reprintCmd(t, "", "reuse", "--strict", "--meta", meta, newsDir)
	if r.code != exitSkipped || !strings.Contains(r.stderr, "meta.jsonl:2") {
		t.Errorf("--strict with a bad sidecar line: exit %d, %s", r.code, r.stderr)
	}
	r = reprintCmd(t, "", "reuse", filepath.Join(dir, "nope.jsonl"), path)
	if r.code != exitInput || !strings.Contains(r.stderr, "nope.jsonl") || len(parsePassages(t, r.stdout)) != 1 {
		t.Errorf("missing input: exit %d, %s", r.code, r.stderr)
	}
	r = reprintCmd(t, "", "reuse", "--meta", filepath.Join(dir, "nometa.jsonl"), path)
	if r.code != exitInput || !strings.Contains(r.stderr, "nometa.jsonl") {
		t.Errorf("missing --meta: exit %d, %s", r.code, r.stderr)
	}
	out := filepath.Join(dir, "out.jsonl")
	r = reprintCmd(t, "", "reuse", "-q", path, "-o", out)
	got, _ := os.ReadFile(out)
	if r.code != 0 || r.stdout != "" || r.stderr != "" || len(parsePassages(t, string(got))) != 1 {
		t.Errorf("-o: exit %d, stdout %q, stderr %q, file %q", r.code, r.stdout, r.stderr, got)
	}
}

func TestReuseBoilerplate(t *testing.T) {
	dir := t.TempDir()
	footer := "Check Also: the ministry announced new measures to support farmers in the eastern provinces after the floods of last spring"
	stories := []string{
		"Rain fell across the capital on Monday and the roads were closed for hours while crews cleared fallen trees.",
		"The national team won its third match in a row, and the coach praised the young players for their discipline.",
		"A new library opened in the old port district, with a reading room for children and a small cinema upstairs.",
	}
	var meta strings.Builder
	for i, s := range stories {
		name := string(rune('a'+i)) + ".txt"
		os.WriteFile(filepath.Join(dir, name), []byte(s+"\n\n"+footer+"\n"), 0o644)
		meta.WriteString(`{"id":"` + name + `","source":"site.example","date":"2021-05-0` + string(rune('1'+i)) + `"}` + "\n")
	}
	mp := filepath.Join(t.TempDir(), "meta.jsonl")
	os.WriteFile(mp, []byte(meta.String()), 0o644)
	r := reprintCmd(t, "", "reuse", "--meta", mp, dir)
	ps := parsePassages(t, r.stdout)
	if r.code != 0 || len(ps) != 3 {
		t.Fatalf("exit %d, %d passages: %s", r.code, len(ps), r.stderr)
	}
	for _, p := range ps {
		if !p.Boilerplate || p.Group != ps[0].Group || p.Direction != "a->b" {
			t.Errorf("footer passage %+v", p)
		}
	}
	r = reprintCmd(t, "", "reuse", "--drop-boilerplate", "--meta", mp, dir)
	if ps := parsePassages(t, r.stdout); r.code != 0 || len(ps) != 0 || !strings.Contains(r.stderr, "3 boilerplate passages left out") {
		t.Errorf("--drop-boilerplate: exit %d, %d passages, %s", r.code, len(ps), r.stderr)
	}
}

func TestReuseUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"reuse"},
		{"reuse", "--min-words", "0", newsDir},
		{"reuse", "--min-identity", "1.5", newsDir},
		{"reuse", "--ngram", "0", newsDir},
		{"reuse", "--max-df", "1", newsDir},
		{"reuse", "--keys", "bogus", newsDir},
		{"align", newsDir + "/" + alwaght},
		{"align", "--color", "pink", newsDir + "/" + alwaght, newsDir + "/" + sana},
		{"report", newsDir},
	} {
		r := reprintCmd(t, "", args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "reprint:") {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}

func TestAlign(t *testing.T) {
	a, b := filepath.Join(newsDir, alwaght), filepath.Join(newsDir, sana)
	r := reprintCmd(t, "", "align", "--width", "120", a, b)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"passage 1 of", "[-", "{+", alwaght + " bytes ", sana + " bytes ", "words equal", " │ "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("no %q in:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "\x1b[") {
		t.Error("ANSI colour written to a non-terminal")
	}
	for _, l := range strings.Split(r.stdout, "\n") {
		if n := len([]rune(l)); n > 120 {
			t.Errorf("line of %d runes wider than --width 120: %q", n, l)
		}
	}
	if c := reprintCmd(t, "", "align", "--color", "always", a, b); !strings.Contains(c.stdout, "\x1b[1;31m") {
		t.Error("--color always wrote no colour")
	}
	// --json is exactly what reuse says about the pair, whichever order A
	// and B are given in.
	j := reprintCmd(t, "", "align", "--json", b, a)
	dir := t.TempDir()
	for _, f := range []string{a, b} {
		data, _ := os.ReadFile(f)
		os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644)
	}
	ru := reprintCmd(t, "", "reuse", dir)
	ja, ra := parsePassages(t, j.stdout), parsePassages(t, ru.stdout)
	if j.code != 0 || len(ja) == 0 || len(ja) != len(ra) {
		t.Fatalf("align --json: exit %d, %d passages; reuse %d", j.code, len(ja), len(ra))
	}
	for i := range ja {
		x, y := ja[i], ra[i]
		x.A, x.B, y.A, y.B = filepath.Base(x.A), filepath.Base(x.B), filepath.Base(y.A), filepath.Base(y.B)
		if x != y {
			t.Errorf("align --json %+v, reuse %+v", x, y)
		}
	}

	missing := filepath.Join(t.TempDir(), "gone.txt")
	if r := reprintCmd(t, "", "align", a, missing); r.code != exitInput || !strings.Contains(r.stderr, "gone.txt") || !strings.Contains(r.stderr, "no such file") {
		t.Errorf("missing file: exit %d, %q", r.code, r.stderr)
	}
	bin := filepath.Join(t.TempDir(), "blob.txt")
	os.WriteFile(bin, []byte{0x7f, 'E', 'L', 'F', 0, 0, 1, 2, 0xff}, 0o644)
	if r := reprintCmd(t, "", "align", bin, a); r.code != exitInput || !strings.Contains(r.stderr, "blob.txt") || !strings.Contains(r.stderr, "binary") {
		t.Errorf("binary file: exit %d, %q", r.code, r.stderr)
	}
	other := filepath.Join(newsDir, "002_2e28becdaf01947c.txt")
	if r := reprintCmd(t, "", "align", a, other); r.code != 0 || !strings.Contains(r.stdout, "share no passage") {
		t.Errorf("retellings: exit %d, %q", r.code, r.stdout)
	}
}

func TestReport(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.html")
	r := reprintCmd(t, "", "report", "--meta", newsMeta, newsDir, "-o", out)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, want := range []string{"<svg", "How to read it", "Shared text g", "Alwaght", "SANA", "2017-10-30", "<mark>", "Near-duplicates", "seize humanitarian aid meant to save the lives"} {
		if !strings.Contains(html, want) {
			t.Errorf("report has no %q", want)
		}
	}
	for _, bad := range []string{"<script", "<link", "src=", "@import", "url("} {
		if strings.Contains(html, bad) {
			t.Errorf("report contains %q: it must be self-contained", bad)
		}
	}
}

// Documents that share only scattered topic words are candidates but are
// not aligned, unless --align-scattered asks for every candidate; neither
// way finds a passage in them.
func TestReuseAlignScattered(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	word := func() string {
		b := make([]byte, 4+r.IntN(6))
		for i := range b {
			b[i] = byte('a' + r.IntN(26))
		}
		return string(b)
	}
	vocab := make([]string, 3000)
	for i := range vocab {
		vocab[i] = word()
	}
	topic := make([]string, 12) // two-word names every document mentions somewhere
	for i := range topic {
		topic[i] = word() + " " + word()
	}
	dir := t.TempDir()
	for d := 0; d < 12; d++ {
		var sb strings.Builder
		at := map[int]string{}
		for _, name := range topic {
			at[r.IntN(400)] = name
		}
		for i := 0; i < 400; i++ {
			if name, ok := at[i]; ok {
				sb.WriteString(name + " ")
			}
			sb.WriteString(vocab[r.IntN(len(vocab))])
			if i%12 == 11 {
				sb.WriteString(". ")
			} else {
				sb.WriteString(" ")
			}
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("doc%02d.txt", d)), []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stats := func(args ...string) (cands, aligned float64, passages string) {
		res := reprintCmd(t, "", append([]string{"reuse", "--json"}, append(args, dir)...)...)
		if res.code != 0 {
			t.Fatalf("exit %d: %s", res.code, res.stderr)
		}
		var sum struct {
			Stats struct {
				Candidates float64 `json:"candidate_pairs"`
				Aligned    float64 `json:"pairs_aligned"`
			} `json:"stats"`
		}
		if err := json.Unmarshal([]byte(strings.TrimSpace(res.stderr)), &sum); err != nil {
			t.Fatalf("summary %q: %v", res.stderr, err)
		}
		return sum.Stats.Candidates, sum.Stats.Aligned, res.stdout
	}
	c1, a1, p1 := stats()
	c2, a2, p2 := stats("--align-scattered")
	if c1 < 30 || c1 != c2 {
		t.Fatalf("candidate pairs %v and %v: want the same, at least 30", c1, c2)
	}
	if a2 != c2 || a1 >= c1/2 {
		t.Errorf("aligned %v of %v by default and %v with --align-scattered; want under half, then all", a1, c1, a2)
	}
	if p1 != "" || p2 != "" {
		t.Errorf("passages between documents that share only topic words:\n%s\n%s", p1, p2)
	}
}
