// Package corpus reads the documents reprint works on and writes the ones it
// keeps.
//
// An input is a text file, a JSONL file (plain, .gz or .zst; also .ndjson
// and .json), a Parquet file, an HTML page (.html, .htm: its main text is
// extracted, html.go), a web crawl (.warc, .warc.gz, .warc.wet.gz: warc.go),
// a folder of any of these (every regular file, recursively, read by its
// name), or "-" for JSONL on standard input.
//
// Reading is split in two so that parsing can run on many cores while the
// file system is read once, in order:
//
//	c, err := corpus.Open(inputs, corpus.Options{})
//	defer c.Close()
//	err = c.Scan(ctx, func(r corpus.Record) error {
//		work <- r // several workers call c.Decode(r)
//		return nil
//	}, func(p *corpus.Problem) { log.Print(p) })
//
// Scan splits inputs into raw records and numbers them (Record.Seq); Decode
// turns one record into a Doc (parsing JSON, decoding payloads, extracting
// HTML: the costly part, on many goroutines). Anything unusable is a
// *Problem, reported and skipped: a whole input (missing, unreadable,
// corrupt) or one record (bad JSON, missing text, binary file, empty
// document, too large, a broken WARC record). Records that are not
// documents at all (a crawl's requests, images, redirects) are counted by
// kind (Corpus.Skipped), not reported. A record kept with something dropped
// (a date that does not parse) is a warning (Options.OnWarning).
//
// Costs: Scan holds one record at a time (plus read buffers, and 1 MB of
// WARC buffer), and a record larger than Options.MaxRecordBytes is refused
// while it is read or decompressed, before it is held; Decode holds the
// record's text, and for HTML the parsed page, about 10 to 30 times the
// page's size.
//
// Copy is the second pass of "reprint dedup": it reads the inputs again and
// writes the records the caller keeps, by Seq, in the inputs' own format
// (JSONL lines byte for byte, text files unchanged, Parquet rows with the
// input schema).
//
// A text document may start with a date line, as the example news files do:
//
//	date 2017-10-30 Syria considers the claims ...
//
// The date becomes Doc.Date and Doc.Start points just past it; Doc.Text is
// always the file's bytes unchanged, so byte offsets found later refer to the
// file itself.
package corpus
