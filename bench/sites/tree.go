package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// words make compressible, text-like content.
var words = []string{"the", "bakery", "opens", "at", "seven", "fresh", "bread", "croissant", "paris", "order", "online",
	"<div class=\"product\">", "</div>", "price", "euro", "delivery", "<p>", "</p>", "customer", "review", "chocolate",
	"flour", "butter", "weekend", "market", "{\"id\":", "\"name\":", "}", "menu", "contact"}

// makeTree writes files files totalling size bytes under dir (datas/ and
// medias/, 100 per directory): half of them text-like (compressible, like
// pages, styles and scripts), half random (like images and archives).
func makeTree(dir string, files int, size int64) error {
	r := rand.New(rand.NewPCG(1, 2))
	per := size / int64(files)
	buf := make([]byte, 1<<20)
	for i := range files {
		sub := "datas"
		if i%2 == 1 {
			sub = "medias"
		}
		d := filepath.Join(dir, sub, fmt.Sprintf("d%03d", i/100))
		if err := os.MkdirAll(d, 0o750); err != nil {
			return err
		}
		n := per
		if i == files-1 {
			n = size - per*int64(files-1)
		}
		f, err := os.Create(filepath.Join(d, fmt.Sprintf("f%05d.bin", i)))
		if err != nil {
			return err
		}
		w := bufio.NewWriterSize(f, 256<<10)
		for n > 0 {
			chunk := min(n, int64(len(buf)))
			if i%2 == 1 {
				for j := 0; j < int(chunk); j += 8 {
					v := r.Uint64()
					for k := 0; k < 8 && j+k < int(chunk); k++ {
						buf[j+k] = byte(v >> (8 * k))
					}
				}
				if _, err := w.Write(buf[:chunk]); err != nil {
					f.Close()
					return err
				}
			} else {
				written := int64(0)
				for written < chunk {
					s := words[r.IntN(len(words))] + " "
					if written+int64(len(s)) > chunk {
						s = s[:chunk-written]
					}
					if _, err := w.WriteString(s); err != nil {
						f.Close()
						return err
					}
					written += int64(len(s))
				}
			}
			n -= chunk
		}
		if err := w.Flush(); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}
