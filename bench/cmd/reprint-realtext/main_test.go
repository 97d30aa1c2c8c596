package main

import (
	"strings"
	"testing"
)

func TestDescriptions(t *testing.T) {
	in := "Package: a\nVersion: 1\nDescription: first line\n more\n .\n last\nSection: x\n\n" +
		"Package: a\nVersion: 1\nDescription: repeated\n\n" + // same package and version: skipped
		"Package: b\nVersion: 2\nTag: t,\n u\nDescription: only\n\nPackage: c\nVersion: 3\n"
	var got []string
	err := descriptions(strings.NewReader(in), func(id, text string) error {
		got = append(got, id+"="+text)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a_1=first line\nmore\n\nlast", "b_2=only"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestCut(t *testing.T) {
	text := strings.Repeat("word ", 30) + "\n\n" + strings.Repeat("more ", 30) + "\n\n" + "tail\n"
	parts := cut(text, 100)
	if len(parts) != 3 || strings.Join(parts, "\n") != text {
		t.Fatalf("parts %q do not rebuild the text", parts)
	}
	for _, p := range parts[:2] {
		if len(p) < 100 {
			t.Fatalf("part of %d bytes, want at least 100", len(p))
		}
	}
	if got := cut("no blank lines "+strings.Repeat("x", 300), 100); len(got) != 1 {
		t.Fatalf("a text without blank lines was cut into %d", len(got))
	}
	if got := cut("  \n", 100); len(got) != 0 {
		t.Fatalf("blank text gave %q", got)
	}
}

func TestFirstCopies(t *testing.T) {
	in := `{"id":"a","text":"one"}` + "\n" + `{"id":"b","text":"two"}` + "\n" + `{"id":"c","text":"one"}` + "\n" + `{"id":"d","text":"One"}` + "\n"
	var got []string
	if err := firstCopies(strings.NewReader(in), func(id, text string) error {
		got = append(got, id+"="+text)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := "a=one|b=two|d=One"; strings.Join(got, "|") != want {
		t.Fatalf("got %q, want %s", got, want)
	}
	if err := firstCopies(strings.NewReader(`{"id":`), func(string, string) error { return nil }); err == nil || !strings.Contains(err.Error(), "record 1") {
		t.Fatalf("broken record: %v", err)
	}
}
