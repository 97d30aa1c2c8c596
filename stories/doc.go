// Package stories groups documents that report the same event into
// stories, and stories of the same kind into topics: lexical, deterministic,
// and the same method on a batch and on a stream.
//
// A story is the reports of one event: one happening, at one time, with the
// same people or places. A topic is the wider subject: two earthquakes, or
// two celebrities entering rehab five years apart, are one topic and two
// stories.
//
// Algorithm (after Miranda et al., EMNLP 2018, "Multilingual Clustering of
// Streaming News"): each document becomes a short tf-idf vector of its
// content words in which names, numbers and dates weigh more (terms.go);
// documents are taken in date order and each joins the story whose centroid
// it is most similar to, by cosine, when that reaches Options.Threshold and
// the document's date lies within Options.Window days of the story's dates,
// or starts a new story (group.go). A pass depends on the order it meets
// the documents of one day in, which neither the documents' IDs nor the
// input's order should decide: a batch takes each day's documents densest
// first, by their mean cosine with their 10 nearest others, so that each
// story starts from a report in the middle of its event and the outliers
// come when the stories are whole (build.go). With Options.Passes above 1
// it adds passes in other orders and keeps the stories a majority of the
// passes agree on. It then
// refines the pass, k-means
// fashion but with no K: each document moves to the story whose centroid it
// is nearer to than to its own story's less itself, at the threshold and
// within the window, the stories are rebuilt, and again while documents
// move (at most 3 rounds; after the first, only documents of stories that
// changed are looked at again). Last, it cuts stories whose members'
// nearest-neighbour graph falls into two weakly linked halves (the
// least-conductance sweep cut of the graph's Fiedler vector below 0.1:
// two events of one kind; by the whole vectors, then by the vectors less
// numbers and dates, which can tie two events through a number both
// repeat), joins each group of fewer than four to the
// story all its members are nearest to at the threshold (or below it,
// when they are clearly nearer to it than to any other, on what it is
// about, and name no other day), joins bigger fragments whose union's
// graph links them at a conductance of 0.2 or more, that are alike at
// the topic threshold without numbers and dates and that do not name
// different event days (fragments.go), and refines again (split.go).
// Then stories whose members name the same event day in their text (the
// plurality of each document's heaviest month-and-day term, within a
// day) and whose centroids, less numbers and dates, are at the threshold
// are joined (eventday.go): the time of the event read from the text,
// which undated documents have too. Topics, in a batch and in a stream's
// Result alike, are the same single pass and refinement over the story
// centroids, with a lower threshold and no window. Candidate stories come from an inverted index of each story's
// heaviest terms, so the cost grows with the documents, not their square.
//
// Batch and stream: Build and BuildScan know the whole corpus, so they count
// document frequencies first and cluster in a canonical order (date, then
// ID): the result does not depend on input order or Options.Workers. A
// Clusterer takes documents one at a time in arrival order and learns
// document frequencies as it goes.
//
// Costs: the batch tokenizes each document twice (once to count document
// frequencies, once to weigh) and holds about 700 bytes per document plus
// its ID (the 48-term vector, date, source); a story holds its pruned
// centroid (128 terms, 2 KB) and its posting entries; the df table holds
// one entry and one display form per distinct term (a 48-byte slot of a
// table at most half full, df.go). The densest-first order costs one
// lookup by QueryTerms/2 terms and up to 64 cosines per document, and
// about 150 bytes a document while it runs. The single pass costs
// O(QueryTerms × postings scanned + 64 cosines) per document; each further
// pass of a batch a quarter of the lookups and as many cosines (together,
// four more passes add about 30% to the batch's CPU time at 100,000
// generated documents), and the consensus one hash map of up to N entries
// per majority subset of the passes (10 for 5 passes); the batch's
// refinement, for its first round, one more lookup by QueryTerms/4 terms and
// as many cosines (about +12% to +22% of the batch's CPU time at 100,000
// generated documents), and a rebuild of the stories (each story's
// members summed once) per round that moved any; the split
// test m²/2 cosines per story of m ≥ 8 members (at most 2,000) and a
// Fiedler vector by 200 sparse products (twice for a story the whole
// vectors do not cut), the join one lookup per member of
// a group of fewer than four, the fragments' join one lookup per member and
// the split test's cosines over each proposed pair's union, the event-day
// join one pass over the vectors and at most 256 centroid cosines a story;
// while a round rebuilds, the old stories are freed first, so only one set
// is held at a time, and the refinement adds 8 bytes a document (two
// assignments). Result holds each story's topic vector (48 terms, 576
// bytes) while it groups topics.
//
//	res, err := stories.Build(docs, stories.Options{})
//	for _, s := range res.Stories {
//		fmt.Println(s.Story, s.Topic, s.Docs)
//	}
package stories
