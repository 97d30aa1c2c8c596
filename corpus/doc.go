// Package corpus reads the documents reprint works on and writes the ones it
// keeps.
//
// An input is a folder of text files (every regular file, recursively, one
// document each), a single text file, a JSONL file (plain, .gz or .zst; also
// .ndjson and .json), a Parquet file, or "-" for JSONL on standard input.
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
// turns one record into a Doc. Anything unusable is a *Problem, reported and
// skipped: a whole input (missing, unreadable, corrupt) or one record (bad
// JSON, missing text, binary file, empty document, too large).
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
