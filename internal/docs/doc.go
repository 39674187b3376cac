// Package docs holds no code: its tests keep the workbook's Markdown
// honest. Every relative link in every Markdown file of the workbook
// (README.md, docs/*.md, lessons/*/README.md, data/README.md, …) must name
// a file or folder that exists and, for a link into a Markdown file with a
// #fragment, a heading of that file, slugged as GitHub slugs headings. And
// the README's table of lessons must list every lesson with its title.
//
// It runs with the rest of the suite:
//
//	go test ./internal/docs
package docs
