package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

func main() {
	os.MkdirAll("d/e", 0755)
	for _, name := range []string{"x.txt", "y.txt"} {
		os.WriteFile("d/"+name, []byte("hello\n"), 0644)
	}
	text, _ := os.ReadFile("d/x.txt")
	fmt.Print(string(text))
	info, _ := os.Stat("d/x.txt")
	fmt.Println(info.Size())
	entries, _ := os.ReadDir("d")
	names := []string{}
	for _, entry := range entries {
		names = append(names, entry.Name())
	}
	sort.Strings(names)
	fmt.Println(strings.Join(names, " "))
	status, _ := os.ReadFile("/proc/self/status")
	found := false
	for _, line := range strings.Split(string(status), "\n") {
		found = found || strings.HasPrefix(line, "Name:")
	}
	fmt.Println(found)
	fmt.Println(time.Now().UTC().Year())
	os.WriteFile("/tmp/t", []byte("tmp ok"), 0644)
	tmp, _ := os.ReadFile("/tmp/t")
	fmt.Println(string(tmp))
}
