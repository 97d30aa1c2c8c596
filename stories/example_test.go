package stories_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/stories"
)

// The example news: SANA's statement (001) and Alwaght's reprint of it
// (000) are one story with the report of the strike a week earlier (004);
// TASS in 2018 (002) and SANA in 2022 (003) are stories of their own, and
// all five are one topic.
func ExampleBuild() {
	c, err := corpus.Open([]string{"../testdata/news"}, corpus.Options{})
	if err != nil {
		panic(err)
	}
	defer c.Close()
	meta, err := corpus.ReadMeta("../testdata/news-meta.jsonl", nil)
	if err != nil {
		panic(err)
	}
	var docs []corpus.Doc
	err = c.Scan(context.Background(), func(r corpus.Record) error {
		d, err := c.Decode(r)
		if err == nil {
			meta[d.ID].Apply(&d)
			docs = append(docs, d)
		}
		return err
	}, nil)
	if err != nil {
		panic(err)
	}
	res, err := stories.Build(docs, stories.Options{})
	if err != nil {
		panic(err)
	}
	for _, s := range res.Stories {
		s.Terms = s.Terms[:3]
		b, _ := json.Marshal(s)
		fmt.Println(string(b))
	}
	// Output:
	// {"story":"s1","topic":"t1","docs":["004_cf57f775b497bf58.txt","001_e55fcabe4c6a2c3c.txt","000_a2e0a91b0cb3cf6c.txt"],"first":"2017-10-24","last":"2017-10-31","sources":["Alwaght","SANA"],"terms":["ISIS","Raqqa","Syrian"],"copies":[]}
	// {"story":"s2","topic":"t1","docs":["002_2e28becdaf01947c.txt"],"first":"2018-06-06","last":"2018-06-06","sources":["TASS"],"terms":["Raqqa","War","Syrian"],"copies":[]}
	// {"story":"s3","topic":"t1","docs":["003_42714ab1c9b3c169.txt"],"first":"2022-04-19","last":"2022-04-19","sources":["SANA"],"terms":["U.S","Coalition","Raqqa"],"copies":[]}
}
