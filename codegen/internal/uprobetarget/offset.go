package uprobetarget

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// FileOffset returns the offset of Target in the file this process runs,
// from the mapping of /proc/self/maps that holds it: what a uprobe on the
// executable attaches to.
func FileOffset() (uint64, error) {
	addr := uint64(TargetAddr())
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// start-end perms offset dev inode path
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 {
			continue
		}
		start, end, ok := strings.Cut(fields[0], "-")
		if !ok {
			continue
		}
		lo, err1 := strconv.ParseUint(start, 16, 64)
		hi, err2 := strconv.ParseUint(end, 16, 64)
		off, err3 := strconv.ParseUint(fields[2], 16, 64)
		if err1 != nil || err2 != nil || err3 != nil || addr < lo || addr >= hi {
			continue
		}
		return addr - lo + off, nil
	}
	return 0, fmt.Errorf("no mapping of /proc/self/maps holds %#x", addr)
}
