// Reads feed files with gofeed (Debian golang-github-mmcdole-gofeed-dev) and prints what it understood of
// each, as one JSON array in the order of the arguments, in the shape test/support/readers.ts compares.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/mmcdole/gofeed"
)

type person struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

type enclosure struct {
	URL    string `json:"url"`
	Type   string `json:"type"`
	Length string `json:"length"`
}

type item struct {
	ID         string      `json:"id"`
	Link       string      `json:"link"`
	Title      string      `json:"title"`
	Published  string      `json:"published"`
	Updated    string      `json:"updated"`
	Authors    []person    `json:"authors"`
	Categories []string    `json:"categories"`
	Enclosures []enclosure `json:"enclosures"`
}

func stamp(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func read(path string) map[string]interface{} {
	file, err := os.Open(path)
	if err != nil {
		return map[string]interface{}{"error": err.Error()}
	}
	defer file.Close()
	feed, err := gofeed.NewParser().Parse(file)
	if err != nil {
		return map[string]interface{}{"error": err.Error()}
	}
	items := []item{}
	for _, i := range feed.Items {
		out := item{ID: i.GUID, Link: i.Link, Title: i.Title, Published: stamp(i.PublishedParsed), Updated: stamp(i.UpdatedParsed), Authors: []person{}, Categories: i.Categories, Enclosures: []enclosure{}}
		for _, a := range i.Authors {
			out.Authors = append(out.Authors, person{Name: a.Name, Email: a.Email})
		}
		for _, e := range i.Enclosures {
			out.Enclosures = append(out.Enclosures, enclosure{URL: e.URL, Type: e.Type, Length: e.Length})
		}
		if out.Categories == nil {
			out.Categories = []string{}
		}
		items = append(items, out)
	}
	return map[string]interface{}{"title": feed.Title, "items": items}
}

func main() {
	feeds := []map[string]interface{}{}
	for _, path := range os.Args[1:] {
		feeds = append(feeds, read(path))
	}
	if err := json.NewEncoder(os.Stdout).Encode(feeds); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
