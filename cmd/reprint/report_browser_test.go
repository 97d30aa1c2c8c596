package main

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestReportInBrowser opens the news report in headless Chromium, finds the
// passages and the timeline chart in the page, and checks that a
// screenshot of it (PNG: quality 100 makes chromedp ask for one) is not
// blank. It is skipped without a browser, except under CI, where .ci/run
// installs one and a skip would hide a failure.
func TestReportInBrowser(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.html")
	if r := reprintCmd(t, "", "report", "--meta", newsMeta, newsDir, "-o", out); r.code != 0 {
		t.Fatalf("report: exit %d: %s", r.code, r.stderr)
	}

	ctx := browser(t, dir)

	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+out), chromedp.WaitVisible("section.group")); err != nil {
		t.Fatalf("chromium: open the report: %v", err)
	}
	count := func(sel string) int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+"`"+sel+"`"+`).length`))
		if err != nil {
			t.Fatalf("chromium: count %s: %v", sel, err)
		}
		return n
	}
	passages, timelines, dots, marks := count(".pair .sides"), count("svg.timeline"), count("svg.timeline circle"), count(".side mark")
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatalf("chromium: title: %v", err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("chromium: screenshot: %v", err)
	}
	t.Logf("title %q: %d passages, %d timelines, %d timeline dots, %d marked differences", title, passages, timelines, dots, marks)
	if passages == 0 || timelines == 0 || dots < 2 || marks == 0 {
		t.Errorf("page lacks passages (%d), timelines (%d), timeline dots (%d) or marks (%d)", passages, timelines, dots, marks)
	}
	if title == "" {
		t.Error("page has no title")
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
	if os.Getenv("REPRINT_KEEP_SCREENSHOT") != "" {
		os.WriteFile(os.Getenv("REPRINT_KEEP_SCREENSHOT"), shot, 0o644)
	}
}

// inkStats counts distinct colours and the share of pixels that are not
// near-white.
func inkStats(img image.Image) (int, float64) {
	seen := map[uint32]bool{}
	b := img.Bounds()
	inked, total := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			seen[r<<16|g<<8|bl] = true
			if r < 235 || g < 235 || bl < 235 {
				inked++
			}
			total++
		}
	}
	return len(seen), float64(inked) / float64(max(total, 1))
}
