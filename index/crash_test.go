package index

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/reprint/reprint/stories"
)

const crashChildEnv = "REPRINT_INDEX_CRASH_CHILD"

// crashText is document n's text: two halves, each also in another
// document, so that every document has passages and near-duplicates to
// check, and a replaced document (n reused as an ID) changes its text.
func crashText(n int) string {
	return words(n, 60) + words(n+1, 60)
}

// crashChild adds documents in batches of 1 to 5 forever (until killed),
// printing each acknowledged ID after Add returns. Every third batch
// also replaces an earlier ID; after every seventh, one ID is deleted,
// announced before and printed again once Delete returns.
func crashChild() {
	dir := os.Getenv(crashChildEnv)
	start, _ := strconv.Atoi(os.Getenv("REPRINT_INDEX_CRASH_START"))
	// Saves of the stories state in the middle of adds, so that kills
	// land before, during and after them.
	saveMinPending = 40
	ix, err := Open(dir, Options{Create: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	n := start
	gone := map[int]bool{}
	for round := 0; round < 100000; round++ {
		k := 1 + round%5
		docs := make([]Doc, k)
		for i := range docs {
			docs[i] = Doc{ID: "d" + strconv.Itoa(n), Text: crashText(n), Date: "2020-01-01", Source: "s"}
			n++
		}
		// Replace an earlier document (same text, new postings), never one
		// deleted before: a kill between that re-add's commit and its "add"
		// line would bring a deleted document back unacknowledged.
		if m := n - 1 - round%(n-start); round%3 == 2 && !gone[m] {
			docs = append(docs, Doc{ID: "d" + strconv.Itoa(m), Text: crashText(m), Date: "2020-01-02", Source: "s"})
		}
		if _, err := ix.Add(docs); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		for _, d := range docs {
			fmt.Fprintf(out, "add %s\n", d.ID)
		}
		out.Flush()
		if round%7 == 6 {
			gone[n-3] = true
			id := "d" + strconv.Itoa(n-3)
			// Announced first: a kill between the commit and the "del"
			// line leaves the parent unsure, not wrong.
			fmt.Fprintf(out, "deleting %s\n", id)
			out.Flush()
			if _, err := ix.Delete([]string{id}); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
			fmt.Fprintf(out, "del %s\n", id)
			out.Flush()
		}
	}
	os.Exit(0)
}

// TestCrash kills a child process that is adding documents with SIGKILL at
// random moments, many times, and checks after each kill that the index
// opens, every acknowledged document is fully there (metadata, text, key
// list, every posting, and a query finds it), and no document is half
// present (a key list without metadata, postings without a key list).
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "idx")
	rng := rand.New(rand.NewPCG(1, 2))
	acked := map[string]bool{}
	deleted := map[string]bool{}
	next := 0
	// Documents acknowledged by the latest child are checked in full,
	// with a sample of the older ones; the counts of all are checked.
	const iterations = 15
	deadline := time.Now().Add(40 * time.Second)
	for it := 0; it < iterations && time.Now().Before(deadline); it++ {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+dir, "REPRINT_INDEX_CRASH_START="+strconv.Itoa(next))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1024)
		started := make(chan struct{})
		go func() {
			sc := bufio.NewScanner(stdout)
			for n := 0; sc.Scan(); n++ {
				lines <- sc.Text()
				if n == 0 {
					close(started)
				}
			}
			close(lines)
		}()
		// The kill lands at a random moment after the child's first
		// acknowledgement, not after its start: a loaded machine can take
		// longer to start a child than the random delay lasts.
		select {
		case <-started:
		case <-time.After(30 * time.Second):
		}
		time.Sleep(time.Duration(30+rng.IntN(300)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		fresh := map[string]bool{}
		for l := range lines {
			if id, ok := strings.CutPrefix(l, "add "); ok {
				acked[id] = true
				fresh[id] = true
				delete(deleted, id)
			} else if id, ok := strings.CutPrefix(l, "deleting "); ok {
				delete(acked, id) // present or not, both are right until "del"
				delete(fresh, id)
			} else if id, ok := strings.CutPrefix(l, "del "); ok {
				delete(acked, id)
				delete(fresh, id)
				deleted[id] = true
			}
		}
		for id := range acked {
			if len(fresh) >= len(acked) || len(fresh) > 400+len(acked)/10 {
				break
			}
			fresh[id] = true
		}
		cmd.Wait()
		if strings.TrimSpace(stderr.String()) != "" {
			t.Fatalf("child: %s", stderr.String())
		}
		// The next child numbers on past anything this one may have added
		// without acknowledging.
		next += 100000
		checkCrashed(t, dir, acked, fresh, deleted)
	}
	if len(acked) == 0 {
		t.Fatal("no document was acknowledged")
	}
	t.Logf("%d documents acknowledged across kills", len(acked))
}

func checkCrashed(t *testing.T, dir string, acked, fresh, deleted map[string]bool) {
	t.Helper()
	ix, err := Open(dir, Options{})
	if errors.Is(err, ErrNoIndex) && len(acked) == 0 && len(deleted) == 0 {
		return // killed before the store was created: nothing was promised
	}
	if err != nil {
		ents, _ := os.ReadDir(dir)
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Fatalf("reopen after kill: %v (files: %v)", err, names)
	}
	defer ix.Close()
	st, _ := ix.Stats(context.Background())
	// Every key list has its metadata, text and all its postings.
	metas, keyed := 0, 0
	it, _ := ix.db.NewIter(&pebble.IterOptions{LowerBound: []byte{pKeys}, UpperBound: []byte{pKeys + 1}})
	for ok := it.First(); ok; ok = it.Next() {
		keyed++
		num := numFrom(it.Key())
		snap := ix.db.NewSnapshot()
		mv, err := getString(snap, numKey(pMeta, num))
		if err != nil {
			t.Fatalf("doc %d: key list without metadata", num)
		}
		m, _ := decodeMeta([]byte(mv))
		if !fresh[m.ID] {
			snap.Close()
			continue
		}
		if _, err := getString(snap, numKey(pText, num)); err != nil {
			t.Fatalf("%s: no text", m.ID)
		}
		keys := getUint64s(it.Value())
		nb := int(keys[0])
		for i, h := range keys[1:] {
			p := byte(pAnchor)
			if i < nb {
				p = pBand
			}
			if _, err := getString(snap, postingKey(p, h, num)); err != nil {
				t.Fatalf("%s: posting %d missing", m.ID, i)
			}
		}
		snap.Close()
	}
	it.Close()
	metas = countPrefix(t, ix, pMeta)
	if metas != keyed || countPrefix(t, ix, pID) != keyed || uint64(keyed) != st.Documents {
		t.Fatalf("half-present documents: %d metadata, %d key lists, %d IDs, counter %d", metas, keyed, countPrefix(t, ix, pID), st.Documents)
	}
	snap := ix.db.NewSnapshot()
	for id := range acked {
		if _, err := getString(snap, idKey(id)); err != nil {
			t.Fatalf("acknowledged %s is missing: %v", id, err)
		}
	}
	for id := range deleted {
		if _, err := getString(snap, idKey(id)); err == nil {
			t.Fatalf("deleted %s is back", id)
		}
	}
	snap.Close()
	for id := range fresh {
		d, err := ix.Get(context.Background(), id)
		if err != nil {
			t.Fatalf("acknowledged %s: %v", id, err)
		}
		n, _ := strconv.Atoi(strings.TrimPrefix(id, "d"))
		if d.Text != crashText(n) {
			t.Fatalf("acknowledged %s: wrong text", id)
		}
	}
	checkCrashedStories(t, ix, keyed)
	// A sample of acknowledged documents finds itself by its text.
	i := 0
	for id := range fresh {
		if i++; i > 20 {
			break
		}
		d, _ := ix.Get(context.Background(), id)
		r, err := ix.Query(context.Background(), Query{Text: d.Text})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.NearDuplicates) == 0 || r.NearDuplicates[0].ID != id || r.NearDuplicates[0].Jaccard != 1 {
			t.Fatalf("%s does not find itself: %+v", id, r.NearDuplicates)
		}
	}
}

func numFrom(k []byte) uint64 {
	var n uint64
	for _, b := range k[1:9] {
		n = n<<8 | uint64(b)
	}
	return n
}

// checkCrashedStories checks that every document is in exactly one story,
// and that the clusterer loaded from the saved state and the replay put
// each one where the store says it is: the replay after a kill reproduces
// the stream.
func checkCrashedStories(t *testing.T, ix *Index, docs int) {
	t.Helper()
	if r, g := countPrefix(t, ix, pStory), countPrefix(t, ix, pMember); r != docs || g != docs {
		t.Fatalf("%d documents, %d story numbers, %d story members", docs, r, g)
	}
	ix.sto.mu.Lock()
	c, err := ix.clusterer()
	ix.sto.mu.Unlock()
	if err != nil {
		t.Fatalf("loading the stories after a kill: %v", err)
	}
	in := map[string]map[string]bool{} // ID -> the stories the clusterer put its versions in
	for _, s := range c.Result().Stories {
		for _, id := range s.Docs {
			if in[id] == nil {
				in[id] = map[string]bool{}
			}
			in[id][s.Story] = true
		}
	}
	it, _ := ix.db.NewIter(&pebble.IterOptions{LowerBound: []byte{pMember}, UpperBound: []byte{pMember + 1}})
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		d, _ := decodeMember(it.Value())
		story := stories.StoryID(int(binary.BigEndian.Uint32(it.Key()[1:])))
		if !in[d.ID][story] {
			t.Fatalf("%s: the store says %s, the reloaded clusterer %v", d.ID, story, in[d.ID])
		}
	}
}
