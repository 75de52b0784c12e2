package vfs_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"path"
	"sort"
	"strings"
	"testing"

	"github.com/sisemu/sisemu/agentsys/vfs"
)

func TestBasics(t *testing.T) {
	fs := vfs.New()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(fs.MkdirAll("/tmp/a/b"))
	must(fs.MkdirAll("/tmp/a")) // existing: fine
	must(fs.WriteFile("/tmp/z.txt", []byte("zz"), 0o600))
	must(fs.Create("/tmp/B", false))
	ents, err := fs.List("//tmp/./a/..")
	must(err)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name+":"+e.Type.String())
	}
	if strings.Join(names, ",") != "B:file,a:dir,z.txt:file" {
		t.Fatalf("list sorted by bytes: %v", names)
	}
	if st, _ := fs.Stat("/tmp/z.txt"); st.Mode != 0o600 || st.Size != 2 || st.Name != "z.txt" {
		t.Fatalf("stat %+v", st)
	}
	if st, _ := fs.Stat("/"); st.Type != vfs.Dir || st.Name != "/" {
		t.Fatalf("stat root %+v", st)
	}
	checks := []struct {
		err  error
		want vfs.Errno
	}{
		{fs.MkdirAll("/tmp/z.txt"), vfs.ErrExist},
		{fs.MkdirAll("/tmp/z.txt/q"), vfs.ErrNotDir},
		{fs.Create("/tmp/a", true), vfs.ErrExist},
		{fs.Create("/nope/x", false), vfs.ErrNotExist},
		{fs.Create("/tmp/z.txt/x", false), vfs.ErrNotDir},
		{fs.Create("/", true), vfs.ErrExist},
		{fs.Remove("/tmp/a"), vfs.ErrNotEmpty},
		{fs.Remove("/tmp/none"), vfs.ErrNotExist},
		{fs.Remove("/"), vfs.ErrBusy},
		{fs.OpenCreate("/tmp/a"), vfs.ErrIsDir},
		{fs.OpenCreate("/"), vfs.ErrIsDir},
		{fs.Create("rel", false), vfs.ErrInvalid},
	}
	for i, c := range checks {
		if !errors.Is(c.err, c.want) {
			t.Errorf("check %d: %v, want %v", i, c.err, c.want)
		}
	}
	if _, err := fs.ReadAt("/tmp/a", 0, 1); !errors.Is(err, vfs.ErrIsDir) {
		t.Errorf("read dir: %v", err)
	}
	if _, err := fs.List("/tmp/z.txt"); !errors.Is(err, vfs.ErrNotDir) {
		t.Errorf("list file: %v", err)
	}
	if b, _ := fs.ReadAt("/tmp/z.txt", 5, 10); len(b) != 0 {
		t.Errorf("read past end: %q", b)
	}
	if _, err := fs.WriteAt("/tmp/z.txt", vfs.MaxFileSize, []byte{1}); !errors.Is(err, vfs.ErrTooLarge) {
		t.Errorf("huge write: %v", err)
	}
	for i := range 3 {
		p := fmt.Sprintf("/tmp/f%d", i)
		must(fs.OpenCreate(p))
		if _, err := fs.WriteAt(p, vfs.MaxFileSize-1, []byte{1}); err != nil {
			t.Fatalf("file %d: %v", i, err)
		}
	}
	must(fs.OpenCreate("/tmp/f3"))
	if _, err := fs.WriteAt("/tmp/f3", vfs.MaxFileSize-1, []byte{1}); !errors.Is(err, vfs.ErrNoSpace) || fs.StoredBytes() > vfs.Capacity {
		t.Fatalf("over capacity: %v, %d bytes", err, fs.StoredBytes())
	}
	if vfs.Errno(0).Error() != "Unknown error" || vfs.ErrNotEmpty.Error() != "Directory not empty" {
		t.Error("errno texts")
	}
}

// TestAgainstOracle runs random operations on the VFS and on a flat map of
// cleaned paths; listings, contents and the stored-byte count must agree.
func TestAgainstOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"a", "b", "..", ".", "", "c"}
	randPath := func() string {
		var sb strings.Builder
		for range 1 + rng.IntN(4) {
			sb.WriteString("/" + names[rng.IntN(len(names))])
		}
		return sb.String()
	}
	fs := vfs.New()
	type ent struct {
		dir  bool
		data []byte
	}
	oracle := map[string]*ent{"/": {dir: true}}
	parentOK := func(c string) bool {
		p, ok := oracle[path.Dir(c)]
		return ok && p.dir
	}
	for i := range 5000 {
		p := randPath()
		c := path.Clean(p)
		switch rng.IntN(4) {
		case 0:
			dir := rng.IntN(2) == 0
			err := fs.Create(p, dir)
			_, exists := oracle[c]
			if want := !exists && parentOK(c); (err == nil) != want {
				t.Fatalf("%d create %s: %v (oracle %v)", i, p, err, want)
			}
			if err == nil {
				oracle[c] = &ent{dir: dir}
			}
		case 1:
			data := []byte(strings.Repeat("x", rng.IntN(5)))
			off := uint64(rng.IntN(4))
			e, exists := oracle[c]
			err := fs.OpenCreate(p)
			if want := (exists && !e.dir) || (!exists && parentOK(c) && c != "/"); (err == nil) != want {
				t.Fatalf("%d open %s: %v (oracle %v)", i, p, err, want)
			}
			if err != nil {
				continue
			}
			if !exists {
				e = &ent{}
				oracle[c] = e
			}
			if _, err := fs.WriteAt(p, off, data); err != nil {
				t.Fatal(err)
			}
			if end := int(off) + len(data); end > len(e.data) {
				e.data = append(e.data, make([]byte, end-len(e.data))...)
			}
			copy(e.data[off:], data)
		case 2:
			e, exists := oracle[c]
			empty := true
			for k := range oracle {
				if k != c && path.Dir(k) == c {
					empty = false
				}
			}
			err := fs.Remove(p)
			if want := exists && c != "/" && (!e.dir || empty); (err == nil) != want {
				t.Fatalf("%d remove %s: %v (oracle %v)", i, p, err, want)
			}
			if err == nil {
				delete(oracle, c)
			}
		case 3:
			ents, err := fs.List(p)
			e, exists := oracle[c]
			if (err == nil) != (exists && e.dir) {
				t.Fatalf("%d list %s: %v", i, p, err)
			}
			var want, got []string
			for k := range oracle {
				if k != "/" && path.Dir(k) == c {
					want = append(want, path.Base(k))
				}
			}
			sort.Strings(want)
			for _, en := range ents {
				got = append(got, en.Name)
			}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Fatalf("%d list %s: %v, want %v", i, p, got, want)
			}
		}
	}
	var bytes uint64
	for k, e := range oracle {
		if k != "/" {
			bytes += uint64(len(path.Base(k)) + len(e.data))
		}
		if !e.dir {
			got, err := fs.ReadAt(k, 0, 1<<20)
			if err != nil || string(got) != string(e.data) {
				t.Fatalf("content of %s: %q %v, want %q", k, got, err, e.data)
			}
		}
	}
	if fs.StoredBytes() != bytes {
		t.Fatalf("stored bytes %d, oracle %d", fs.StoredBytes(), bytes)
	}
}
