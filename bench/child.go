package bench

// Run measures one command as its own process, so that its time is end to
// end from process start and its peak memory is its own, not the
// benchmark's.

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Child is what Run measured of one process.
type Child struct {
	Stdout, Stderr []byte
	Wall, CPU      time.Duration // CPU: user and system; on a shared machine the steadier of the two
	PeakKiB        int64         // the process's peak RSS (rusage Maxrss, KiB on Linux)
}

// Run runs name with args, waits for it and returns its output and
// measures; an error names the command and carries its stderr.
func Run(name string, args ...string) (Child, error) {
	cmd := exec.Command(name, args...)
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	t0 := time.Now()
	err := cmd.Run()
	c := Child{Wall: time.Since(t0)}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			c.CPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
			c.PeakKiB = ru.Maxrss
		}
	}
	c.Stdout, c.Stderr = so.Bytes(), se.Bytes()
	if err != nil {
		return c, fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, se.String())
	}
	return c, nil
}
