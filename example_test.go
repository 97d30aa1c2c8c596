package reprint_test

import (
	"fmt"
	"strings"

	"github.com/reprint/reprint"
)

func ExampleFindPairs() {
	story := "The council approved the new budget on Tuesday after a long debate about schools, roads and the library. "
	docs := []reprint.Doc{
		{ID: "a", Text: strings.Repeat(story, 3), Date: "2024-05-01"},
		{ID: "b", Text: strings.Repeat(story, 3) + "Updated at noon.", Date: "2024-05-02"},
		{ID: "c", Text: "An unrelated note about the weather and the harvest this autumn."},
	}
	res, err := reprint.FindPairs(docs, reprint.PairOptions{Threshold: 0.8})
	if err != nil {
		panic(err)
	}
	defer res.Close()
	for _, p := range res.Pairs() {
		fmt.Printf("%s %s %.2f\n", p.A, p.B, p.Jaccard)
	}
	for _, c := range res.Clusters(reprint.KeepEarliest, reprint.Greedy) {
		fmt.Println("kept", c.Kept, "removed", c.Removed[0].ID)
	}
	// Output:
	// a b 0.86
	// kept a removed b
}

func ExampleFindReuse() {
	quote := "The minister said the bridge would reopen in March once the inspectors had finished their work on the cables. "
	docs := []reprint.Doc{
		{ID: "agency", Text: quote + "More details will follow.", Date: "2024-01-10"},
		{ID: "paper", Text: "In other news, " + strings.ToLower(quote[:1]) + quote[1:] + "Readers wrote in.", Date: "2024-01-11"},
	}
	res, err := reprint.FindReuse(docs, reprint.ReuseOptions{})
	if err != nil {
		panic(err)
	}
	for _, p := range res.Passages {
		fmt.Printf("%s[%d:%d] %s[%d:%d] %d words %s\n", p.A, p.AStart, p.AEnd, p.B, p.BStart, p.BEnd, p.Words, p.Direction)
	}
	// Output:
	// agency[0:108] paper[15:123] 19 words a->b
}
