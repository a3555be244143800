package zipapk

import (
	"fmt"
	"testing"
)

// FuzzHostileName: the fast path for plain names never hides a reason the
// full check gives.
func FuzzHostileName(f *testing.F) {
	for _, s := range []string{
		"classes.dex", "res/layout/main.xml", "assets/dir/ok..txt", "../../data/evil.so", "/system/bin/sh",
		"C:evil.dll", `assets\..\x`, "classes.dex\x00.txt", "bad\xff\xfename", "line\rbreak", "", "a:b", "x/\x7f",
		"META-INF/MANIFEST.MF", "lib/arm64-v8a/libfoo.so", "ü.txt", "a/../b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if full, _ := hostileNameWhy(name); plainName(name) && full != "" {
			t.Fatalf("%q taken as plain, but %s", name, full)
		}
	})
}

// TestNameIndex holds the index to a map over names with repeats, names
// that differ in one byte, and names that are not there: the first entry
// of each name is found, and nothing else.
func TestNameIndex(t *testing.T) {
	var entries []*Entry
	want := map[string]int{}
	for i := range 5000 {
		name := fmt.Sprintf("assets/%d/x.bin", i%3001) // every name from 2000 on once, below it twice
		entries = append(entries, &Entry{Name: name})
		if _, ok := want[name]; !ok {
			want[name] = i
		}
	}
	x := newNameIndex(entries)
	for i := range entries {
		first, ok := x.add(i)
		if ok != (want[entries[i].Name] == i) || first != want[entries[i].Name] {
			t.Fatalf("add(%d %q) = %d, %v; first is %d", i, entries[i].Name, first, ok, want[entries[i].Name])
		}
	}
	for name, i := range want {
		if e := x.lookup(name); e != entries[i] {
			t.Errorf("lookup(%q) is not entry %d", name, i)
		}
	}
	for _, name := range []string{"", "assets/3001/x.bin", "assets/1/x.bi", "assets/1/x.bin/", "Assets/1/x.bin"} {
		if e := x.lookup(name); e != nil {
			t.Errorf("lookup(%q) = %q, want none", name, e.Name)
		}
	}
	var empty nameIndex
	if e := empty.lookup("a"); e != nil {
		t.Error("the zero index found an entry")
	}
}

// TestArena checks that the strings an arena returns keep their bytes
// while later strings fill and overflow its blocks, and that a string is
// a copy, not a view of the caller's bytes.
func TestArena(t *testing.T) {
	var a arena
	var got, want []string
	buf := make([]byte, 0, arenaBlock)
	for i := range 3000 {
		n := 1 + i*37%200
		if i == 1500 {
			n = arenaBlock + 5 // larger than a block
		}
		buf = buf[:0]
		for j := range n {
			buf = append(buf, byte('a'+(i+j)%26))
		}
		got = append(got, a.str(buf))
		want = append(want, string(buf))
		buf[0] = '!' // the arena's copy must not see this
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("string %d changed: %.20q, want %.20q", i, got[i], want[i])
		}
	}
	if s := a.str(nil); s != "" {
		t.Errorf("str(nil) = %q", s)
	}
}
