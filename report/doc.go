// Package report shows reused passages to people: side by side in a
// terminal (reprint align), and as one self-contained HTML page (reprint
// report) with the documents, the passage groups ordered by how widely they
// spread, each passage side by side with its differences marked, a
// timeline per group drawn as inline SVG, and the near-duplicate clusters.
//
//	res, _ := reuse.Run(ctx, c, reuse.Options{Excerpts: true})
//	report.Write(w, report.Input{Title: "My collection", Reuse: res})
//
//	for i, p := range res.Passages {
//		report.SideBySide(os.Stdout, i+1, len(res.Passages), p, res.Excerpts[i], report.TermOptions{Width: 100})
//	}
//
// The package formats; it finds nothing. Everything it shows comes from a
// reuse.Result run with Excerpts, and near-duplicate clusters from
// neardup.Result.
package report
