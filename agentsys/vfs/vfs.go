// Package vfs is the in-memory file system behind the AgentSys FS opcodes:
// directories and regular files with modes, addressed by absolute paths.
// Every operation cleans its path first (`.`, `..`, `//`), so the path the
// policy checked is exactly the path the operation touches. Errors are the
// errno-style sentinels of agentsys.md §2.6; a failed operation changes
// nothing.
package vfs

import (
	"fmt"
	"path"
	"sort"
	"strings"
)

// Errno is a file-system error. Its text is the kernel's errno
// description (`No such file or directory`), which the console prints.
type Errno uint8

// The errors the VFS returns (agentsys.md §2.6); a failed operation
// changes nothing.
const (
	ErrNotExist Errno = iota + 1
	ErrExist
	ErrNotDir
	ErrIsDir
	ErrNotEmpty
	// ErrBusy is returned for an attempt to remove the root directory.
	ErrBusy
	// ErrInvalid is returned for a relative path (callers validate first).
	ErrInvalid
	// ErrTooLarge is returned for a write that would grow a file past
	// MaxFileSize.
	ErrTooLarge
	// ErrNoSpace is returned for a write that would grow the file system's
	// data past Capacity.
	ErrNoSpace
)

var errnoText = [...]string{
	"", "No such file or directory", "File exists", "Not a directory", "Is a directory",
	"Directory not empty", "Device or resource busy", "Invalid argument", "File too large",
	"No space left on device",
}

// Error is the errno description the kernel prints.
func (e Errno) Error() string {
	if int(e) < len(errnoText) && e != 0 {
		return errnoText[e]
	}
	return "Unknown error"
}

// Default modes of nodes created at run time (§2.6).
const (
	FileMode = 0o644
	DirMode  = 0o755
)

// MaxFileSize bounds a file's size so that a write at a huge offset cannot
// make the emulator allocate without limit (the kernel's ramfs has a limit
// too; the reference picks 16 MiB).
const MaxFileSize = 16 << 20

// Capacity bounds the bytes a file system holds (file data and names), as
// the kernel's ramfs is bounded by its memory: 64 MiB.
const Capacity = 64 << 20

// Type is a node's kind.
type Type uint8

// Node kinds. The in-memory VFS creates only Dir and File; the others exist
// so that Stat can describe what a richer back end holds.
const (
	File Type = iota
	Dir
	Char
	Block
	Symlink
)

// String is the kernel's `type=` word.
func (t Type) String() string {
	switch t {
	case Dir:
		return "dir"
	case Char:
		return "char"
	case Block:
		return "block"
	case Symlink:
		return "symlink"
	}
	return "file"
}

// Info describes one node.
type Info struct {
	Name string
	Type Type
	Mode uint32
	Size uint64
}

type node struct {
	typ      Type
	mode     uint32
	data     []byte
	children map[string]*node
}

// FS is one in-memory file system. The zero value is not usable; call New.
type FS struct {
	root  *node
	bytes uint64 // file data + names held, for overhead accounting
}

// New returns a file system holding only the root directory.
func New() *FS {
	return &FS{root: &node{typ: Dir, mode: DirMode, children: map[string]*node{}}}
}

// Clean returns the cleaned form of an absolute path; ok is false for a
// relative or empty one.
func Clean(p string) (string, bool) {
	if p == "" || p[0] != '/' {
		return "", false
	}
	return path.Clean(p), true
}

// split cleans p and returns its components.
func split(p string) ([]string, error) {
	c, ok := Clean(p)
	if !ok {
		return nil, ErrInvalid
	}
	if c == "/" {
		return nil, nil
	}
	return strings.Split(c[1:], "/"), nil
}

// walk resolves components to a node.
func (fs *FS) walk(parts []string) (*node, error) {
	n := fs.root
	for _, name := range parts {
		if n.typ != Dir {
			return nil, ErrNotDir
		}
		c, ok := n.children[name]
		if !ok {
			return nil, ErrNotExist
		}
		n = c
	}
	return n, nil
}

// parent resolves all but the last component; the last is returned.
func (fs *FS) parent(p string) (*node, string, error) {
	parts, err := split(p)
	if err != nil {
		return nil, "", err
	}
	if len(parts) == 0 {
		return nil, "", nil
	}
	dir, err := fs.walk(parts[:len(parts)-1])
	if err != nil {
		return nil, "", err
	}
	if dir.typ != Dir {
		return nil, "", ErrNotDir
	}
	return dir, parts[len(parts)-1], nil
}

func (fs *FS) lookup(p string) (*node, error) {
	parts, err := split(p)
	if err != nil {
		return nil, err
	}
	return fs.walk(parts)
}

// List returns a directory's entries sorted by name bytes.
func (fs *FS) List(p string) ([]Info, error) {
	n, err := fs.lookup(p)
	if err != nil {
		return nil, fmt.Errorf("vfs: list %s: %w", p, err)
	}
	if n.typ != Dir {
		return nil, fmt.Errorf("vfs: list %s: %w", p, ErrNotDir)
	}
	out := make([]Info, 0, len(n.children))
	for name, c := range n.children {
		out = append(out, info(name, c))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func info(name string, n *node) Info {
	return Info{Name: name, Type: n.typ, Mode: n.mode, Size: uint64(len(n.data))}
}

// Stat describes the node at p.
func (fs *FS) Stat(p string) (Info, error) {
	n, err := fs.lookup(p)
	if err != nil {
		return Info{}, fmt.Errorf("vfs: stat %s: %w", p, err)
	}
	c, _ := Clean(p)
	return info(path.Base(c), n), nil
}

// Open checks that p names an existing node and says what it is. It is the
// first stage of a read.
func (fs *FS) Open(p string) (Info, error) { return fs.Stat(p) }

// ReadAt returns up to n bytes of the file at p starting at off. Reading a
// directory fails with ErrIsDir; reading past the end returns no bytes.
func (fs *FS) ReadAt(p string, off uint64, n int) ([]byte, error) {
	nd, err := fs.lookup(p)
	if err != nil {
		return nil, fmt.Errorf("vfs: read %s: %w", p, err)
	}
	if nd.typ == Dir {
		return nil, fmt.Errorf("vfs: read %s: %w", p, ErrIsDir)
	}
	if off >= uint64(len(nd.data)) {
		return []byte{}, nil
	}
	end := uint64(len(nd.data))
	if uint64(n) < end-off {
		end = off + uint64(n)
	}
	return append([]byte(nil), nd.data[off:end]...), nil
}

// OpenCreate opens the file at p for writing, creating it (mode 0644) if
// absent. It fails on a directory and when the parent does not exist.
func (fs *FS) OpenCreate(p string) error {
	dir, name, err := fs.parent(p)
	if err != nil {
		return fmt.Errorf("vfs: open %s: %w", p, err)
	}
	if dir == nil {
		return fmt.Errorf("vfs: open %s: %w", p, ErrIsDir)
	}
	if c, ok := dir.children[name]; ok {
		if c.typ == Dir {
			return fmt.Errorf("vfs: open %s: %w", p, ErrIsDir)
		}
		return nil
	}
	dir.children[name] = &node{typ: File, mode: FileMode}
	fs.bytes += uint64(len(name))
	return nil
}

// WriteAt writes data into the existing file at p at offset off, extending
// it with zero bytes if off is past the end.
func (fs *FS) WriteAt(p string, off uint64, data []byte) (int, error) {
	nd, err := fs.lookup(p)
	if err != nil {
		return 0, fmt.Errorf("vfs: write %s: %w", p, err)
	}
	if nd.typ == Dir {
		return 0, fmt.Errorf("vfs: write %s: %w", p, ErrIsDir)
	}
	if off > MaxFileSize || uint64(len(data)) > MaxFileSize-off {
		return 0, fmt.Errorf("vfs: write %s: %w", p, ErrTooLarge)
	}
	end := off + uint64(len(data))
	if end > uint64(len(nd.data)) && fs.bytes+(end-uint64(len(nd.data))) > Capacity {
		return 0, fmt.Errorf("vfs: write %s: %w", p, ErrNoSpace)
	}
	if end > uint64(len(nd.data)) {
		fs.bytes += end - uint64(len(nd.data))
		grown := make([]byte, end)
		copy(grown, nd.data)
		nd.data = grown
	}
	copy(nd.data[off:], data)
	return len(data), nil
}

// WriteFile creates or truncates the file at p and fills it with data.
func (fs *FS) WriteFile(p string, data []byte, mode uint32) error {
	if err := fs.OpenCreate(p); err != nil {
		return err
	}
	nd, _ := fs.lookup(p)
	fs.bytes -= uint64(len(nd.data))
	nd.data = append([]byte(nil), data...)
	nd.mode = mode
	fs.bytes += uint64(len(nd.data))
	return nil
}

// Create makes a file or directory at p; it fails if p exists.
func (fs *FS) Create(p string, dir bool) error {
	parent, name, err := fs.parent(p)
	if err != nil {
		return fmt.Errorf("vfs: create %s: %w", p, err)
	}
	if parent == nil {
		return fmt.Errorf("vfs: create %s: %w", p, ErrExist)
	}
	if _, ok := parent.children[name]; ok {
		return fmt.Errorf("vfs: create %s: %w", p, ErrExist)
	}
	n := &node{typ: File, mode: FileMode}
	if dir {
		n = &node{typ: Dir, mode: DirMode, children: map[string]*node{}}
	}
	parent.children[name] = n
	fs.bytes += uint64(len(name))
	return nil
}

// MkdirAll makes the directory p and any missing parents. An existing
// directory is fine; an existing file on the way is ErrNotDir/ErrExist.
func (fs *FS) MkdirAll(p string) error {
	parts, err := split(p)
	if err != nil {
		return fmt.Errorf("vfs: mkdir %s: %w", p, err)
	}
	n := fs.root
	for i, name := range parts {
		c, ok := n.children[name]
		if !ok {
			c = &node{typ: Dir, mode: DirMode, children: map[string]*node{}}
			n.children[name] = c
			fs.bytes += uint64(len(name))
		} else if c.typ != Dir {
			if i == len(parts)-1 {
				return fmt.Errorf("vfs: mkdir %s: %w", p, ErrExist)
			}
			return fmt.Errorf("vfs: mkdir %s: %w", p, ErrNotDir)
		}
		n = c
	}
	return nil
}

// Remove deletes a file or an empty directory.
func (fs *FS) Remove(p string) error {
	parent, name, err := fs.parent(p)
	if err != nil {
		return fmt.Errorf("vfs: remove %s: %w", p, err)
	}
	if parent == nil {
		return fmt.Errorf("vfs: remove %s: %w", p, ErrBusy)
	}
	n, ok := parent.children[name]
	if !ok {
		return fmt.Errorf("vfs: remove %s: %w", p, ErrNotExist)
	}
	if n.typ == Dir && len(n.children) > 0 {
		return fmt.Errorf("vfs: remove %s: %w", p, ErrNotEmpty)
	}
	delete(parent.children, name)
	fs.bytes -= uint64(len(name)) + uint64(len(n.data))
	return nil
}

// StoredBytes is the number of bytes of file data and names held.
func (fs *FS) StoredBytes() uint64 { return fs.bytes }

// Snapshot returns every node as `path type mode size data` lines in path
// order: a cheap way for tests to check that an operation changed nothing.
func (fs *FS) Snapshot() string {
	var b strings.Builder
	var walk func(prefix string, n *node)
	walk = func(prefix string, n *node) {
		names := make([]string, 0, len(n.children))
		for k := range n.children {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			c := n.children[k]
			p := prefix + "/" + k
			fmt.Fprintf(&b, "%q %s %o %d %q\n", p, c.typ, c.mode, len(c.data), c.data)
			if c.typ == Dir {
				walk(p, c)
			}
		}
	}
	walk("", fs.root)
	return b.String()
}
