// Command measure times commands for the bench scripts: it runs each
// command of a set in turn, N rounds (the commands of one round run back to
// back, so that a change in the machine's load falls on all of them alike),
// and prints, per command, the median wall time, the median CPU time (user
// plus system) and the largest peak memory (max RSS) over the rounds, and
// the median over the rounds of each command's time divided by the first
// command's.
//
//	measure [-n N] [-q] -- CMD ARGS... [-- CMD ARGS...]...
//
// Each line of output is
//
//	name wall_s cpu_s max_rss_mb ratio_to_first
//
// with name the command's first word after its directory (or the label
// given as CMD=label:cmd). A command that fails stops the run.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

type result struct {
	wall, cpu time.Duration
	rss       int64 // KiB
}

func main() {
	n := flag.Int("n", 5, "rounds")
	flag.Parse()
	var cmds [][]string
	var cur []string
	for _, a := range flag.Args() {
		if a == "--" {
			if len(cur) > 0 {
				cmds = append(cmds, cur)
			}
			cur = nil
			continue
		}
		cur = append(cur, a)
	}
	if len(cur) > 0 {
		cmds = append(cmds, cur)
	}
	if len(cmds) == 0 {
		fmt.Fprintln(os.Stderr, "usage: measure [-n N] -- CMD ARGS... [-- CMD ARGS...]")
		os.Exit(2)
	}
	names := make([]string, len(cmds))
	for i, c := range cmds {
		names[i] = filepath.Base(c[0])
		if label, rest, ok := strings.Cut(c[0], ":"); ok && strings.HasPrefix(label, "=") {
			names[i], cmds[i][0] = label[1:], rest
		}
	}
	res := make([][]result, len(cmds))
	for range *n {
		for i, c := range cmds {
			r, err := run(c)
			if err != nil {
				fmt.Fprintf(os.Stderr, "measure: %s: %v\n", strings.Join(c, " "), err)
				os.Exit(1)
			}
			res[i] = append(res[i], r)
		}
	}
	for i := range cmds {
		var walls, cpus []time.Duration
		var ratios []float64
		var rss int64
		for k, r := range res[i] {
			walls = append(walls, r.wall)
			cpus = append(cpus, r.cpu)
			ratios = append(ratios, r.wall.Seconds()/res[0][k].wall.Seconds())
			rss = max(rss, r.rss)
		}
		fmt.Printf("%-24s %9.4f %9.4f %8.1f %7.3f\n", names[i], median(walls).Seconds(), median(cpus).Seconds(), float64(rss)/1024, median(ratios))
	}
}

func run(c []string) (result, error) {
	cmd := exec.Command(c[0], c[1:]...)
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return result{}, err
	}
	defer devnull.Close()
	cmd.Stdout, cmd.Stderr = devnull, devnull
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return result{}, err
	}
	wall := time.Since(start)
	ps := cmd.ProcessState
	ru, _ := ps.SysUsage().(*syscall.Rusage)
	r := result{wall: wall, cpu: ps.UserTime() + ps.SystemTime()}
	if ru != nil {
		r.rss = ru.Maxrss
	}
	return r, nil
}

func median[T time.Duration | float64](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
