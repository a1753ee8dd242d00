package loader

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
)

// nobody is the uid the tests give directories another user made.
const nobody = 65534

// mkdirAs makes dir with mode perm owned by uid.
func mkdirAs(t *testing.T, dir string, uid int, perm os.FileMode) {
	t.Helper()
	if err := os.Mkdir(dir, perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, perm); err != nil { // past the umask
		t.Fatal(err)
	}
	if err := os.Chown(dir, uid, uid); err != nil {
		t.Fatal(err)
	}
	// Before the pin root's cleanup, which refuses what polrun did not
	// make.
	t.Cleanup(func() { os.RemoveAll(dir) })
}

// polrun makes its pin root owned by root, mode 0700, and uses one made
// before only if it is root's and no one else may write to it. bpffs is
// mode 1777: without this any user could make /sys/fs/bpf/polrun first and
// then move root's pins around in it.
func TestPinRootOwnership(t *testing.T) {
	b := syscallBundle("ldrtest-own", 1).bundle(t)
	t.Run("created", func(t *testing.T) {
		o := testOptions(t)
		if _, err := Load([]*Bundle{b}, o); err != nil {
			t.Fatal(err)
		}
		for _, dir := range []string{o.PinRoot, filepath.Join(o.PinRoot, bpf.PoliciesDir), bpf.BasePinDir(o.PinRoot), policyDir(o.PinRoot, "ldrtest-own")} {
			var st unix.Stat_t
			if err := unix.Lstat(dir, &st); err != nil {
				t.Fatal(err)
			}
			if st.Uid != 0 || st.Mode&0o777 != 0o700 {
				t.Errorf("%s: uid %d mode %o, want root's 0700", dir, st.Uid, st.Mode&0o777)
			}
		}
	})
	refused := []struct {
		name string
		make func(t *testing.T, root string)
		want string
	}{
		{"other-user", func(t *testing.T, root string) { mkdirAs(t, root, nobody, 0o700) }, "is owned by uid 65534, not root"},
		{"world-writable", func(t *testing.T, root string) { mkdirAs(t, root, 0, 0o777) }, "is writable by group or others (mode 0777)"},
		{"group-writable", func(t *testing.T, root string) { mkdirAs(t, root, 0, 0o770) }, "is writable by group or others (mode 0770)"},
		{"symlink", func(t *testing.T, root string) {
			mkdirAs(t, root+"-target", 0, 0o700)
			if err := os.Symlink(root+"-target", root); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Remove(root) })
		}, "is not a directory"},
		{"parent-of-other-user", func(t *testing.T, root string) {
			mkdirAs(t, root, nobody, 0o755)
		}, "its parent"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			o := testOptions(t)
			tc.make(t, o.PinRoot)
			if tc.name == "parent-of-other-user" {
				parent := o.PinRoot
				o = &Options{PinRoot: filepath.Join(parent, "polrun")}
			}
			_, err := Load([]*Bundle{b}, o)
			if !errors.Is(err, ErrUntrustedDir) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("load: %v, want %q", err, tc.want)
			}
			t.Log(err)
			if _, err := List(o); !errors.Is(err, ErrUntrustedDir) {
				t.Errorf("list: %v", err)
			}
			if err := UnloadAll(o); !errors.Is(err, ErrUntrustedDir) {
				t.Errorf("unload --all: %v", err)
			}
			if _, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot}); !errors.Is(err, ErrUntrustedDir) {
				t.Errorf("open stream: %v", err)
			}
			if got := pinsUnder(t, o.PinRoot); len(got) > 0 {
				t.Errorf("pins: %q", got)
			}
			waitNoPrograms(t, "ldrtest_enter")
		})
	}
	t.Run("root-0755", func(t *testing.T) {
		o := testOptions(t)
		mkdirAs(t, o.PinRoot, 0, 0o755)
		if _, err := Load([]*Bundle{b}, o); err != nil {
			t.Fatal(err)
		}
	})
}

// Every directory polrun descends into must be root's and not writable by
// others: a policy directory another user made is refused, not followed,
// and so are policies/ and base/.
func TestForeignDirectoriesRefused(t *testing.T) {
	b := syscallBundle("ldrtest-foreign", 1).bundle(t)
	keep := syscallBundle("ldrtest-keep", 1).bundle(t)
	t.Run("policy", func(t *testing.T) {
		o := testOptions(t)
		if _, err := Load([]*Bundle{keep}, o); err != nil {
			t.Fatal(err)
		}
		planted := policyDir(o.PinRoot, "ldrtest-foreign")
		mkdirAs(t, planted, nobody, 0o755)
		// What the planted directory holds must not be followed.
		if err := os.Symlink("/", filepath.Join(planted, bpf.MapsDir)); err != nil {
			t.Fatal(err)
		}
		for _, replace := range []bool{false, true} {
			r := *o
			r.Replace = replace
			_, err := Load([]*Bundle{b}, &r)
			if !errors.Is(err, ErrUntrustedDir) || !strings.Contains(err.Error(), "ldrtest-foreign is owned by uid 65534") {
				t.Fatalf("load (replace %v): %v", replace, err)
			}
		}
		st, err := List(o)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Policies) != 2 || st.Policies[0].Name != "ldrtest-foreign" || !errors.Is(st.Policies[0].Err, ErrUntrustedDir) ||
			st.Policies[0].Programs != nil || st.Policies[0].Maps != nil || st.Policies[1].Err != nil {
			t.Errorf("list: %+v", st.Policies)
		}
		if err := Unload([]string{"ldrtest-foreign"}, o); !errors.Is(err, ErrUntrustedDir) {
			t.Errorf("unload: %v", err)
		}
		// unload --all unloads what is polrun's and reports the rest.
		if err := UnloadAll(o); !errors.Is(err, ErrUntrustedDir) {
			t.Errorf("unload --all: %v", err)
		}
		if !exists(filepath.Join(planted, bpf.MapsDir)) {
			t.Error("the planted directory was removed")
		}
		st, err = List(o)
		if err != nil || len(st.Policies) != 1 || st.Base != nil {
			t.Errorf("after unload --all: %+v, %v", st, err)
		}
		waitNoPrograms(t, "ldrtest_enter")
	})
	t.Run("policies", func(t *testing.T) {
		o := testOptions(t)
		mkdirAs(t, o.PinRoot, 0, 0o700)
		mkdirAs(t, filepath.Join(o.PinRoot, bpf.PoliciesDir), nobody, 0o700)
		if _, err := Load([]*Bundle{b}, o); !errors.Is(err, ErrUntrustedDir) || !strings.Contains(err.Error(), "policies is owned by uid 65534") {
			t.Fatalf("load: %v", err)
		}
		if _, err := List(o); !errors.Is(err, ErrUntrustedDir) {
			t.Errorf("list: %v", err)
		}
		waitNoPrograms(t, "ldrtest_enter")
	})
	t.Run("base", func(t *testing.T) {
		o := testOptions(t)
		mkdirAs(t, o.PinRoot, 0, 0o700)
		mkdirAs(t, bpf.BasePinDir(o.PinRoot), nobody, 0o700)
		if _, err := Load([]*Bundle{b}, o); !errors.Is(err, ErrUntrustedDir) || !strings.Contains(err.Error(), "base is owned by uid 65534") {
			t.Fatalf("load: %v", err)
		}
		st, err := List(o)
		if err != nil || st.Base == nil || !errors.Is(st.Base.Err, ErrUntrustedDir) {
			t.Errorf("list: %+v, %v", st, err)
		}
		waitNoPrograms(t, "ldrtest_enter")
	})
}

// A failed load leaves no pin root behind when it made it, and leaves one
// that was there.
func TestFailedLoadLeavesNoRoot(t *testing.T) {
	o := testOptions(t)
	b := syscallBundle("ldrtest-noroot", 1).bundle(t)
	b.Manifest.Features = append(b.Manifest.Features, "teleport")
	for _, pre := range []bool{false, true} {
		if pre {
			mkdirAs(t, o.PinRoot, 0, 0o700)
		}
		if _, err := Load([]*Bundle{b}, o); !errors.Is(err, ErrMissingFeature) {
			t.Fatalf("load: %v", err)
		}
		if _, err := os.Lstat(o.PinRoot); pre == os.IsNotExist(err) {
			t.Errorf("pin root there before: %v; after: %v", pre, err)
		}
		if got := pinsUnder(t, o.PinRoot); len(got) > 0 {
			t.Errorf("pins: %q", got)
		}
	}
}
