// Command uprobetarget is the program the loader's uprobe test hooks: it
// waits for a line on stdin, then calls polcUprobeTarget three times.
package main

import (
	"bufio"
	"os"
)

//go:noinline
func polcUprobeTarget(n int) int { return n + 1 }

func main() {
	bufio.NewReader(os.Stdin).ReadString('\n')
	for i := range 3 {
		polcUprobeTarget(i)
	}
}
