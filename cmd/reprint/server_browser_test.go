package main

import (
	"bytes"
	"context"
	"image/png"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/reprint/reprint/index"
	"github.com/reprint/reprint/server"
)

// TestServeInBrowser indexes the example news, serves it on a loopback
// port, and in headless Chromium pastes one article into the page, asks
// for copies, and checks that the near-duplicate, the passages side by
// side with marked differences, and the timelines appear; then opens a
// matched document. A screenshot (kept with REPRINT_KEEP_SCREENSHOT=FILE)
// must not be blank. Skipped without a browser, except under CI.
func TestServeInBrowser(t *testing.T) {
	dir := t.TempDir()
	idx := filepath.Join(dir, "news.idx")
	if r := reprintCmd(t, "", "index", "add", "-q", "--index", idx, "--meta", newsMeta, newsDir); r.code != 0 {
		t.Fatalf("index add: exit %d: %s", r.code, r.stderr)
	}
	ix, err := index.Open(idx, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- server.New(ix, ix, server.Options{}).Serve(sctx, ln) }()
	defer func() { stop(); <-done }()

	// The pasted text: SANA's article without its date header.
	raw, err := os.ReadFile(filepath.Join(newsDir, "001_e55fcabe4c6a2c3c.txt"))
	if err != nil {
		t.Fatal(err)
	}
	text := regexp.MustCompile(`^\s*date \d{4}-\d{2}-\d{2}\s+`).ReplaceAllString(string(raw), "")

	ctx := browser(t, dir)

	url := "http://" + ln.Addr().String() + "/"
	if err := chromedp.Do(ctx,
		chromedp.Navigate(url),
		chromedp.WaitVisible("#text"),
		chromedp.SetValue("#text", text),
		chromedp.Click("#go"),
		chromedp.WaitVisible(".passage .sides"),
	); err != nil {
		t.Fatalf("chromium: paste and query: %v", err)
	}
	count := func(sel string) int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+"`"+sel+"`"+`).length`))
		if err != nil {
			t.Fatalf("chromium: count %s: %v", sel, err)
		}
		return n
	}
	near, passages, marks, occ := count("#near tbody tr"), count(".passage"), count(".side mark.chg"), count(".timeline .occ")
	matched, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll(".passage .head a")].map(a => a.textContent).join(" ")`))
	if err != nil {
		t.Fatal(err)
	}
	statusText, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("status").textContent`))
	t.Logf("status %q: %d near-duplicates, %d passages (%s), %d marked differences, %d timeline occurrences", statusText, near, passages, matched, marks, occ)
	if near == 0 || passages < 2 || marks == 0 || occ < 2 {
		t.Errorf("page lacks near-duplicates (%d), passages (%d), marks (%d) or timeline (%d)", near, passages, marks, occ)
	}
	// The Alwaght article reprinted SANA's: its passages must be there.
	if !strings.Contains(matched, "000_a2e0a91b0cb3cf6c.txt") {
		t.Errorf("matched documents %q lack the Alwaght reprint", matched)
	}
	// The story of the pasted text: SANA's and Alwaght's articles on one
	// timeline, in date order, with the pasted text placed on it.
	storyText, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("story-summary").textContent`))
	storyDocs, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#story-timeline .occ.story-doc")].map(n => n.querySelector(".d").textContent + " " + n.querySelector("a").textContent).join("|")`))
	t.Logf("story: %q; timeline %q", storyText, storyDocs)
	if !strings.Contains(storyText, "This text belongs to story s") || !strings.Contains(storyDocs, "2017-10-30 001_e55fcabe4c6a2c3c.txt|2017-10-31 000_a2e0a91b0cb3cf6c.txt") ||
		count("#story-timeline .occ.query") != 1 {
		t.Errorf("the page does not show the text's story with 001 then 000 on its timeline and the text on it")
	}
	// Open the matched document: its text shows with the passage highlighted.
	if err := chromedp.Do(ctx,
		chromedp.Click(`.passage[data-doc="000_a2e0a91b0cb3cf6c.txt"] .head a`),
		chromedp.WaitVisible("#doc-text mark.hl"),
	); err != nil {
		t.Fatalf("chromium: open document: %v", err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("chromium: screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	colours, inked := inkStats(img)
	t.Logf("screenshot %v: %d distinct colours, %.1f%% of pixels not near-white", img.Bounds().Size(), colours, 100*inked)
	if colours < 16 || inked < 0.02 {
		t.Errorf("screenshot looks blank: %d colours, %.2f%% inked", colours, 100*inked)
	}
	if p := os.Getenv("REPRINT_KEEP_SCREENSHOT"); p != "" {
		os.WriteFile(strings.TrimSuffix(p, ".png")+"-serve.png", shot, 0o644)
	}
}

// cutSearcher marks every result as cut by the limit.
type cutSearcher struct{ index.Searcher }

func (c cutSearcher) Query(ctx context.Context, q index.Query) (*index.Result, error) {
	r, err := c.Searcher.Query(ctx, q)
	if err == nil {
		r.Cut = &index.Cut{NearDuplicates: 3, CommonAnchors: 2}
	}
	return r, err
}

// TestServeInBrowserCut checks that the page says when a result was cut.
func TestServeInBrowserCut(t *testing.T) {
	dir := t.TempDir()
	idx := filepath.Join(dir, "news.idx")
	if r := reprintCmd(t, "", "index", "add", "-q", "--index", idx, "--meta", newsMeta, newsDir); r.code != 0 {
		t.Fatalf("index add: exit %d: %s", r.code, r.stderr)
	}
	ix, err := index.Open(idx, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- server.New(cutSearcher{ix}, ix, server.Options{}).Serve(sctx, ln) }()
	defer func() { stop(); <-done }()
	ctx := browser(t, dir)
	if err := chromedp.Do(ctx,
		chromedp.Navigate("http://"+ln.Addr().String()+"/"),
		chromedp.WaitVisible("#text"),
		chromedp.SetValue("#text", "Syria considers the claims of the United States-led coalition about the liberation of Raqqa"),
		chromedp.Click("#go"),
		chromedp.WaitVisible("#cut"),
	); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	cut, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("cut").textContent`))
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	if !strings.Contains(cut, "Not everything is shown") || !strings.Contains(cut, "3 more near-duplicates") {
		t.Fatalf("cut note: %q", cut)
	}
}
