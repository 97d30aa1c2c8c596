// Package gen generates deterministic synthetic corpora with known ground
// truth, for reprint's tests and benchmarks.
//
// The same Config (seed included) always gives byte-identical documents and
// truth, on any machine: all randomness comes from a counter-based generator
// keyed by (seed, document number, purpose), and no floating-point function
// whose result could differ between platforms is used to draw text.
//
// A corpus is a mix of
//
//   - unrelated documents, drawn word by word from a synthetic Zipf-like
//     vocabulary of 50,000 pronounceable pseudo-words, with sentences,
//     capitals, commas, quotations, possessives and numbers;
//   - near-duplicate families: an original and copies of it, each copy
//     edited at its own rate by word substitutions, insertions and
//     deletions plus a few sentence moves;
//   - exact duplicates: byte-identical copies, and copies that differ only
//     in letter case, whitespace or straight versus curly quotes;
//   - inserted passages: a run of words from one unrelated document,
//     optionally edited, inserted between two sentences of another, with
//     the byte spans in both recorded.
//
// Documents are emitted in id order ("d0000000", "d0000001", ...). Family
// members, duplicates and passage partners are scattered over the ids, and
// each copy is dated after what it copies.
//
//	cfg := gen.DefaultConfig()
//	cfg.Docs, cfg.Seed = 1000, 7
//	truth, err := gen.Generate(cfg, func(d gen.Doc) error {
//		fmt.Println(d.ID, d.Date, len(d.Text))
//		return nil
//	})
package gen
