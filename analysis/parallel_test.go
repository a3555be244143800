package analysis

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestParallel: every call runs once, and a call may wait for the one
// before it to start (as a walk waits for its file's preparation) without
// a deadlock, whatever the number of workers.
func TestParallel(t *testing.T) {
	for _, workers := range []int{1, 2, 3, 16} {
		const n = 50
		var runs [n]atomic.Int32
		started := make([]chan struct{}, n)
		for i := range started {
			started[i] = make(chan struct{})
		}
		var once [n]sync.Once
		done := make(chan struct{})
		go func() {
			defer close(done)
			(&Pass{Config: &Config{Workers: workers}}).Parallel(n, func(i int) {
				once[i].Do(func() { close(started[i]) })
				runs[i].Add(1)
				if i > 0 {
					<-started[i-1]
				}
			})
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("workers=%d: deadlock", workers)
		}
		for i := range runs {
			if c := runs[i].Load(); c != 1 {
				t.Errorf("workers=%d: call %d ran %d times", workers, i, c)
			}
		}
	}
}
