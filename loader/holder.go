package loader

import (
	"errors"
	"sort"
	"sync"

	"github.com/cilium/ebpf"
)

// Holder keeps, in this process, the attachments the kernel cannot pin.
// Kprobes, tracepoints and uprobes are attached through perf events, whose
// BPF links bpffs can pin only since 5.15; before, such an attachment
// lasts as long as a process holds it. Load hands them to Options.Hold
// instead of pinning them: they stay attached while the Holder holds them
// (polrun run and serve, which run until stopped, have one) and detach
// when it lets them go or the process exits. Without a Holder, Load
// refuses a policy with such an attachment on such a kernel (polrun load,
// which exits, could not keep it attached). Everything else of the policy
// is pinned as usual.
type Holder struct {
	mu    sync.Mutex
	links map[string][]namedLink // by policy name
}

// NewHolder returns an empty Holder.
func NewHolder() *Holder { return &Holder{links: map[string][]namedLink{}} }

// put holds a policy's links, in place of the ones it held for that name
// (a policy replaced), which it lets go.
func (h *Holder) put(policy string, ls []namedLink) {
	h.mu.Lock()
	old := h.links[policy]
	h.links[policy] = ls
	h.mu.Unlock()
	closeLinks(old)
}

// Release lets the policies' attachments go: they detach. Unload calls it
// for the policies it removed.
func (h *Holder) Release(policies ...string) {
	h.mu.Lock()
	var ls []namedLink
	for _, p := range policies {
		ls = append(ls, h.links[p]...)
		delete(h.links, p)
	}
	h.mu.Unlock()
	closeLinks(ls)
}

// Policies lists the policies whose attachments it holds, sorted.
func (h *Holder) Policies() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]string, 0, len(h.links))
	for p := range h.links {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Close lets every attachment go.
func (h *Holder) Close() {
	if h != nil {
		h.Release(h.Policies()...)
	}
}

func closeLinks(ls []namedLink) {
	for _, l := range ls {
		l.link.Close()
	}
}

// unpinnable says whether a link's pin failed because the kernel cannot
// pin that kind of link.
func unpinnable(err error) bool { return errors.Is(err, ebpf.ErrNotSupported) }
