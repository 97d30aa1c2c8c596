package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/token"
)

type result struct {
	code           int
	stdout, stderr string
}

func reprintCmd(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

type pairLine struct {
	A, B         string
	Jaccard      float64
	ContainmentA float64 `json:"containment_a"`
	ContainmentB float64 `json:"containment_b"`
}

func parsePairs(t *testing.T, s string) []pairLine {
	t.Helper()
	var out []pairLine
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		var p pairLine
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatalf("bad output line %q: %v", sc.Text(), err)
		}
		out = append(out, p)
	}
	return out
}

// genCorpus writes a generated JSONL corpus and returns its path and docs.
func genCorpus(t *testing.T, n int, seed uint64) (string, []gen.Doc) {
	t.Helper()
	cfg := gen.DefaultConfig()
	cfg.Docs, cfg.Seed, cfg.MeanWords, cfg.Passages = n, seed, 150, 0
	var docs []gen.Doc
	if _, err := gen.Generate(cfg, func(d gen.Doc) error { docs = append(docs, d); return nil }); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "corpus.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := gen.NewJSONLWriter(f)
	for _, d := range docs {
		w.Write(d)
	}
	w.Flush()
	f.Close()
	return path, docs
}

// oracle computes the exact pairs at or above t by comparing all pairs.
func oracle(docs []gen.Doc, t float64) map[[2]string]float64 {
	tz := token.New()
	sets := make([][]uint64, len(docs))
	for i, d := range docs {
		sets[i] = token.ShingleSet(tz.Tokens(d.Text, 0, nil), 5, nil)
	}
	out := map[[2]string]float64{}
	for i := range docs {
		for j := i + 1; j < len(docs); j++ {
			a, b := sets[i], sets[j]
			if float64(min(len(a), len(b))) < t*float64(max(len(a), len(b))) {
				continue // Jaccard cannot reach t
			}
			in := token.Overlap(a, b)
			if jac := float64(in) / float64(len(a)+len(b)-in); jac >= t {
				k := [2]string{docs[i].ID, docs[j].ID}
				if k[0] > k[1] {
					k[0], k[1] = k[1], k[0]
				}
				out[k] = jac
			}
		}
	}
	return out
}

func TestPairsGeneratedAgainstOracle(t *testing.T) {
	path, docs := genCorpus(t, 3000, 7)
	r := reprintCmd(t, "", "pairs", path)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	got := parsePairs(t, r.stdout)
	want := oracle(docs, 0.8)
	if len(want) < 200 {
		t.Fatalf("generated corpus has only %d true pairs", len(want))
	}
	hit := 0
	for i, p := range got {
		j, ok := want[[2]string{p.A, p.B}]
		if !ok {
			t.Fatalf("pair %+v is not a true pair (precision must be 1)", p)
		}
		if j != p.Jaccard {
			t.Fatalf("pair %+v: exact jaccard %v", p, j)
		}
		if i > 0 && (got[i-1].A > p.A || got[i-1].A == p.A && got[i-1].B >= p.B) {
			t.Fatalf("output not sorted at line %d", i+1)
		}
		hit++
	}
	if recall := float64(hit) / float64(len(want)); recall < 0.99 {
		t.Fatalf("recall %.4f (%d of %d)", recall, hit, len(want))
	}
	if !strings.Contains(r.stderr, "3000 documents") {
		t.Fatalf("summary does not count the documents: %s", r.stderr)
	}
}

func TestPairsSameForAnyWorkers(t *testing.T) {
	path, _ := genCorpus(t, 1500, 3)
	one := reprintCmd(t, "", "pairs", "--workers", "1", "--threshold", "0.6", path)
	three := reprintCmd(t, "", "pairs", "--workers", "3", "--threshold", "0.6", path)
	if one.code != 0 || three.code != 0 || one.stdout == "" || one.stdout != three.stdout {
		t.Fatalf("outputs differ or failed: %d %d (%d vs %d bytes)", one.code, three.code, len(one.stdout), len(three.stdout))
	}
}

func TestPairsNews(t *testing.T) {
	r := reprintCmd(t, "", "pairs", "--json", "../../testdata/news")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var sum struct {
		Stats struct {
			Docs    int `json:"documents"`
			Skipped int `json:"skipped"`
		} `json:"stats"`
	}
	if err := json.Unmarshal([]byte(r.stderr), &sum); err != nil {
		t.Fatalf("--json summary: %v: %s", err, r.stderr)
	}
	if sum.Stats.Docs != 5 || sum.Stats.Skipped != 0 {
		t.Fatalf("summary %+v", sum)
	}
	// The articles retell one story and one reprints passages of another,
	// but none is a near-duplicate of another as a whole.
	if got := parsePairs(t, r.stdout); len(got) != 0 {
		t.Fatalf("news articles reported as near-duplicates: %+v", got)
	}
	// At a low threshold the reprint (000 of 001) is the closest pair.
	low := parsePairs(t, reprintCmd(t, "", "pairs", "--threshold", "0.05", "../../testdata/news").stdout)
	if len(low) == 0 || low[0].A != "000_a2e0a91b0cb3cf6c.txt" || low[0].B != "001_e55fcabe4c6a2c3c.txt" {
		t.Fatalf("low threshold pairs: %+v", low)
	}
	for _, p := range low[1:] {
		if p.Jaccard >= low[0].Jaccard {
			t.Fatalf("retelling %+v is as close as the reprint %+v", p, low[0])
		}
	}
}

func TestDedupJSONL(t *testing.T) {
	path, docs := genCorpus(t, 2000, 11)
	dir := t.TempDir()
	out, clusters := filepath.Join(dir, "kept.jsonl"), filepath.Join(dir, "clusters.jsonl")
	r := reprintCmd(t, "", "dedup", path, "-o", out, "--clusters", clusters)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	in, _ := os.ReadFile(path)
	kept, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	inLines := strings.SplitAfter(string(in), "\n")
	keptLines := strings.SplitAfter(string(kept), "\n")
	// Kept records are input lines, byte for byte, in input order.
	i := 0
	for _, l := range keptLines {
		if l == "" {
			continue
		}
		for i < len(inLines) && inLines[i] != l {
			i++
		}
		if i == len(inLines) {
			t.Fatalf("kept line not in input (or out of order): %.80q", l)
		}
	}
	byID := map[string]gen.Doc{}
	for _, d := range docs {
		byID[d.ID] = d
	}
	exact := oracle(docs, 0.8)
	cf, _ := os.ReadFile(clusters)
	removed := 0
	for _, line := range strings.Split(strings.TrimSpace(string(cf)), "\n") {
		var c struct {
			Kept    string
			Removed []struct {
				ID      string
				Jaccard float64
			}
		}
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("cluster line %q: %v", line, err)
		}
		if !strings.Contains(string(kept), `"id":"`+c.Kept+`"`) {
			t.Fatalf("kept document %s is not in the output", c.Kept)
		}
		for _, rm := range c.Removed {
			removed++
			k := [2]string{min(c.Kept, rm.ID), max(c.Kept, rm.ID)}
			if j, ok := exact[k]; !ok || j != rm.Jaccard {
				t.Fatalf("%s removed under %s, but their Jaccard is %v (reported %v)", rm.ID, c.Kept, j, rm.Jaccard)
			}
			if strings.Contains(string(kept), `"id":"`+rm.ID+`"`) {
				t.Fatalf("removed document %s is in the output", rm.ID)
			}
		}
	}
	if removed == 0 || len(docs)-removed != strings.Count(string(kept), "\n") {
		t.Fatalf("%d docs, %d removed, %d kept lines", len(docs), removed, strings.Count(string(kept), "\n"))
	}
}

func TestDedupFolder(t *testing.T) {
	src := t.TempDir()
	text := "The source said that the U.S. and its illegitimate alliance are misleading the international community about their intentions towards Syria, stressing that their claims of liberating Raqqa city from ISIS are mere lies aiming to divert international public opinion from the crimes committed by this alliance in Raqqa province, where more than ninety percent of the city has been leveled by deliberate bombing."
	files := map[string]string{
		"a/one.txt":   " date 2017-10-30 " + text,
		"b/two.txt":   " date 2017-11-02 " + strings.ReplaceAll(text, "U.S.", "US") + "",
		"c/three.txt": "Something else, entirely unrelated, about the weather in the mountains this week.",
	}
	for name, body := range files {
		os.MkdirAll(filepath.Join(src, filepath.Dir(name)), 0o755)
		os.WriteFile(filepath.Join(src, name), []byte(body), 0o644)
	}
	out := filepath.Join(t.TempDir(), "out")
	r := reprintCmd(t, "", "dedup", "--threshold", "0.7", src, "-o", out)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for name, body := range files {
		got, err := os.ReadFile(filepath.Join(out, name))
		switch name {
		case "b/two.txt": // later copy of a/one.txt
			if err == nil {
				t.Errorf("%s should have been removed", name)
			}
		default:
			if string(got) != body {
				t.Errorf("%s not copied unchanged: %v", name, err)
			}
		}
	}
}

func TestStdinAndGzip(t *testing.T) {
	lines := `{"id":"x","text":"one two three four five six seven eight nine ten"}
{"id":"y","text":"One two three four five six seven eight nine ten"}
`
	r := reprintCmd(t, lines, "pairs", "-")
	if got := parsePairs(t, r.stdout); r.code != 0 || len(got) != 1 || got[0].A != "x" {
		t.Fatalf("stdin: exit %d, %q, %s", r.code, r.stdout, r.stderr)
	}
	path := filepath.Join(t.TempDir(), "c.jsonl.gz")
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(lines))
	zw.Close()
	os.WriteFile(path, buf.Bytes(), 0o644)
	r = reprintCmd(t, "", "pairs", path)
	if got := parsePairs(t, r.stdout); r.code != 0 || len(got) != 1 {
		t.Fatalf("gzip: exit %d, %q, %s", r.code, r.stdout, r.stderr)
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	good := `{"id":"g1","text":"alpha beta gamma delta epsilon zeta eta theta iota kappa"}`
	bad := strings.Join([]string{
		good,
		`{"id":"broken", "text": `,
		`{"id":"notext"}`,
		`{"id":"empty","text":""}`,
		"{\"id\":\"badutf\",\"text\":\"caf\xe9\"}",
		`{"id":"g2","text":"alpha beta gamma delta epsilon zeta eta theta iota kappa lambda"}`,
	}, "\n") + "\n"
	path := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(path, []byte(bad), 0o644)
	binDir := filepath.Join(dir, "folder")
	os.MkdirAll(binDir, 0o755)
	os.WriteFile(filepath.Join(binDir, "blob.bin"), []byte{0x7f, 'E', 'L', 'F', 0, 0, 1, 2, 0xff}, 0o644)
	os.WriteFile(filepath.Join(binDir, "ok.txt"), []byte("a plain text document with words"), 0o644)

	r := reprintCmd(t, "", "pairs", "--json", path, binDir)
	if r.code != 0 {
		t.Fatalf("bad records alone must not fail the run: exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"bad.jsonl:2", "bad.jsonl:3", "bad.jsonl:4", "bad.jsonl:5", "blob.bin"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("no message naming %s in:\n%s", want, r.stderr)
		}
	}
	if got := parsePairs(t, r.stdout); len(got) != 1 || got[0].A != "g1" || got[0].B != "g2" {
		t.Errorf("good records lost: %+v", got)
	}
	var sum struct {
		Stats struct {
			Skipped int `json:"skipped"`
			Docs    int `json:"documents"`
		} `json:"stats"`
	}
	last := r.stderr[strings.LastIndex(strings.TrimSpace(r.stderr), "\n")+1:]
	if err := json.Unmarshal([]byte(last), &sum); err != nil || sum.Stats.Skipped != 5 || sum.Stats.Docs != 3 {
		t.Errorf("summary %q: %+v %v", last, sum, err)
	}

	r = reprintCmd(t, "", "pairs", "--strict", path)
	if r.code != exitSkipped || !strings.Contains(r.stderr, "bad.jsonl:2") {
		t.Errorf("--strict: exit %d, %s", r.code, r.stderr)
	}

	missing := filepath.Join(dir, "nope.jsonl")
	r = reprintCmd(t, "", "pairs", missing, path)
	if r.code != exitInput || !strings.Contains(r.stderr, "nope.jsonl") {
		t.Errorf("missing file: exit %d, %s", r.code, r.stderr)
	}
	if got := parsePairs(t, r.stdout); len(got) != 1 {
		t.Errorf("missing file stopped the other inputs: %+v", got)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"pairs"},
		{"pairs", "--threshold", "1.5", "../../testdata/news"},
		{"pairs", "--bogus", "../../testdata/news"},
		{"dedup", "../../testdata/news"},
		{"dedup", "--keep", "newest", "../../testdata/news", "-o", "x"},
		{"frobnicate"},
	} {
		r := reprintCmd(t, "", args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "reprint:") {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}

func TestLongSingleLineDocument(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(`{"id":"big","text":"`)
	for i := 0; sb.Len() < 20<<20; i++ {
		sb.WriteString("word")
		sb.WriteString(string(rune('a' + i%26)))
		sb.WriteString(" ")
	}
	sb.WriteString("\"}\n{\"id\":\"small\",\"text\":\"a few words only\"}\n")
	path := filepath.Join(t.TempDir(), "big.jsonl")
	os.WriteFile(path, []byte(sb.String()), 0o644)
	r := reprintCmd(t, "", "pairs", "--json", path)
	if r.code != 0 || !strings.Contains(r.stderr, `"documents":2`) {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
}

func TestMemLimitSpillsWithSameOutput(t *testing.T) {
	path, _ := genCorpus(t, 2500, 5)
	tmp := t.TempDir()
	mem := reprintCmd(t, "", "pairs", path)
	disk := reprintCmd(t, "", "pairs", "--json", "--mem-limit", "200KiB", "--tmp-dir", tmp, path)
	if mem.code != 0 || disk.code != 0 || mem.stdout == "" || mem.stdout != disk.stdout {
		t.Fatalf("outputs differ: exit %d/%d, %d vs %d bytes\n%s", mem.code, disk.code, len(mem.stdout), len(disk.stdout), disk.stderr)
	}
	if !strings.Contains(disk.stderr, `"spilled_runs":`) || strings.Contains(disk.stderr, `"spilled_runs":0`) {
		t.Fatalf("nothing spilled: %s", disk.stderr)
	}
	dir := t.TempDir()
	a := reprintCmd(t, "", "dedup", path, "-o", filepath.Join(dir, "a.jsonl"), "--clusters", filepath.Join(dir, "a.clusters"))
	b := reprintCmd(t, "", "dedup", "--mem-limit", "200KiB", "--tmp-dir", tmp, path, "-o", filepath.Join(dir, "b.jsonl"), "--clusters", filepath.Join(dir, "b.clusters"))
	if a.code != 0 || b.code != 0 {
		t.Fatalf("dedup: %s %s", a.stderr, b.stderr)
	}
	for _, ext := range []string{".jsonl", ".clusters"} {
		x, _ := os.ReadFile(filepath.Join(dir, "a"+ext))
		y, _ := os.ReadFile(filepath.Join(dir, "b"+ext))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Fatalf("dedup %s differs under --mem-limit", ext)
		}
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Fatalf("%d temp files left in --tmp-dir", len(left))
	}
	if r := reprintCmd(t, "", "pairs", "--mem-limit", "lots", path); r.code != exitUsage {
		t.Fatalf("bad --mem-limit: exit %d", r.code)
	}
}
