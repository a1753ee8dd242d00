package deploy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/internal/testenv"
)

// The manifests cannot be applied here; these tests check what a
// Kubernetes API server and kubelet would, for the fields they use, and
// that the polrun command line they run is one polrun accepts.

// The fields of the Kubernetes objects the manifests use, with the types
// Kubernetes gives them; sub-trees not checked here are maps. Decoding
// refuses any other field, so a misspelt or misplaced one fails the test.
type object struct {
	APIVersion                   string   `yaml:"apiVersion"`
	Kind                         string   `yaml:"kind"`
	Metadata                     metadata `yaml:"metadata"`
	AutomountServiceAccountToken *bool    `yaml:"automountServiceAccountToken"`
	Spec                         struct {
		Selector struct {
			MatchLabels map[string]string `yaml:"matchLabels"`
		} `yaml:"selector"`
		UpdateStrategy map[string]any `yaml:"updateStrategy"`
		Template       struct {
			Metadata metadata `yaml:"metadata"`
			Spec     podSpec  `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

type metadata struct {
	Name        string            `yaml:"name"`
	Namespace   string            `yaml:"namespace"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

type podSpec struct {
	HostPID                       bool             `yaml:"hostPID"`
	ServiceAccountName            string           `yaml:"serviceAccountName"`
	AutomountServiceAccountToken  *bool            `yaml:"automountServiceAccountToken"`
	PriorityClassName             string           `yaml:"priorityClassName"`
	Tolerations                   []map[string]any `yaml:"tolerations"`
	TerminationGracePeriodSeconds *int             `yaml:"terminationGracePeriodSeconds"`
	Containers                    []container      `yaml:"containers"`
	Volumes                       []struct {
		Name     string `yaml:"name"`
		HostPath *struct {
			Path string `yaml:"path"`
			Type string `yaml:"type"`
		} `yaml:"hostPath"`
		ConfigMap *struct {
			Name     string `yaml:"name"`
			Optional bool   `yaml:"optional"`
		} `yaml:"configMap"`
		EmptyDir *struct{} `yaml:"emptyDir"`
	} `yaml:"volumes"`
}

type container struct {
	Name    string   `yaml:"name"`
	Image   string   `yaml:"image"`
	Command []string `yaml:"command"`
	Args    []string `yaml:"args"`
	Env     []struct {
		Name      string         `yaml:"name"`
		Value     string         `yaml:"value"`
		ValueFrom map[string]any `yaml:"valueFrom"`
	} `yaml:"env"`
	Ports []struct {
		Name          string `yaml:"name"`
		ContainerPort int    `yaml:"containerPort"`
		Protocol      string `yaml:"protocol"`
	} `yaml:"ports"`
	Resources      map[string]any `yaml:"resources"`
	ReadinessProbe *probe         `yaml:"readinessProbe"`
	LivenessProbe  *probe         `yaml:"livenessProbe"`
	Security       struct {
		Privileged bool `yaml:"privileged"`
	} `yaml:"securityContext"`
	VolumeMounts []struct {
		Name             string `yaml:"name"`
		MountPath        string `yaml:"mountPath"`
		ReadOnly         bool   `yaml:"readOnly"`
		MountPropagation string `yaml:"mountPropagation"`
	} `yaml:"volumeMounts"`
}

type probe struct {
	PeriodSeconds       int `yaml:"periodSeconds"`
	InitialDelaySeconds int `yaml:"initialDelaySeconds"`
	HTTPGet             *struct {
		Path string `yaml:"path"`
		Port any    `yaml:"port"` // a number or a port name
	} `yaml:"httpGet"`
}

// readManifests decodes every document of a manifest file, refusing
// fields the model does not have; required fields are checked below.
func readManifests(t *testing.T, name string) []object {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var out []object
	for {
		var o object
		if err := dec.Decode(&o); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("%s: document %d: %v", name, len(out)+1, err)
		}
		out = append(out, o)
	}
	return out
}

// dnsLabel is what names of Kubernetes objects, containers, ports and
// volumes must be (RFC 1123 label; ports at most 15 characters).
var dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)

var knownKinds = map[string]string{"Namespace": "v1", "ServiceAccount": "v1", "DaemonSet": "apps/v1", "ConfigMap": "v1"}

func TestManifests(t *testing.T) {
	flags := polrunServeFlags(t)
	files, _ := filepath.Glob("*.yaml")
	if len(files) < 2 {
		t.Fatalf("manifests: %v", files)
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			daemonSets := 0
			for _, o := range readManifests(t, f) {
				where := fmt.Sprintf("%s %s", o.Kind, o.Metadata.Name)
				if v, ok := knownKinds[o.Kind]; !ok || o.APIVersion != v {
					t.Errorf("%s: kind %q apiVersion %q", where, o.Kind, o.APIVersion)
				}
				if !dnsLabel.MatchString(o.Metadata.Name) {
					t.Errorf("%s: name %q", where, o.Metadata.Name)
				}
				if o.Kind != "Namespace" && o.Metadata.Namespace != "polrun" {
					t.Errorf("%s: namespace %q", where, o.Metadata.Namespace)
				}
				if o.Kind == "DaemonSet" {
					daemonSets++
					checkDaemonSet(t, o, flags)
				}
			}
			if daemonSets != 1 {
				t.Errorf("%d DaemonSets", daemonSets)
			}
		})
	}
}

func checkDaemonSet(t *testing.T, ds object, flags map[string]bool) {
	sel := ds.Spec.Selector.MatchLabels
	if len(sel) == 0 {
		t.Error("no spec.selector.matchLabels")
	}
	for k, v := range sel {
		if ds.Spec.Template.Metadata.Labels[k] != v {
			t.Errorf("the selector's %s=%s is not a label of the pod template", k, v)
		}
	}
	pod := ds.Spec.Template.Spec
	if !pod.HostPID {
		t.Error("hostPID is not set: events would carry the container's PIDs")
	}
	volumes := map[string]string{} // name -> host path, or "" for others
	configMaps := map[string]bool{}
	optionalConfigMaps := map[string]bool{}
	for _, v := range pod.Volumes {
		configMaps[v.Name] = v.ConfigMap != nil
		optionalConfigMaps[v.Name] = v.ConfigMap != nil && v.ConfigMap.Optional
		if !dnsLabel.MatchString(v.Name) {
			t.Errorf("volume name %q", v.Name)
		}
		sources := 0
		for _, set := range []bool{v.HostPath != nil, v.ConfigMap != nil, v.EmptyDir != nil} {
			if set {
				sources++
			}
		}
		if sources != 1 {
			t.Errorf("volume %s: %d sources", v.Name, sources)
		}
		if v.HostPath != nil {
			volumes[v.Name] = v.HostPath.Path
		} else {
			volumes[v.Name] = ""
		}
		if v.ConfigMap != nil && !dnsLabel.MatchString(v.ConfigMap.Name) {
			t.Errorf("volume %s: ConfigMap name %q", v.Name, v.ConfigMap.Name)
		}
	}
	if len(pod.Containers) == 0 {
		t.Fatal("no containers")
	}
	var polrun *container
	for i, c := range pod.Containers {
		if !dnsLabel.MatchString(c.Name) || c.Image == "" {
			t.Errorf("container %q: image %q", c.Name, c.Image)
		}
		for _, m := range c.VolumeMounts {
			if _, ok := volumes[m.Name]; !ok {
				t.Errorf("container %s mounts volume %s, which the pod does not have", c.Name, m.Name)
			}
			if !filepath.IsAbs(m.MountPath) {
				t.Errorf("container %s: mount path %q", c.Name, m.MountPath)
			}
		}
		if c.Name == "polrun" {
			polrun = &pod.Containers[i]
		}
	}
	if polrun == nil {
		t.Fatal("no polrun container")
	}
	if !polrun.Security.Privileged {
		t.Error("polrun is not privileged: it cannot load BPF programs")
	}
	mounts := map[string]string{} // mount path -> volume
	for _, m := range polrun.VolumeMounts {
		mounts[m.MountPath] = m.Name
		if m.MountPath == "/sys/fs/bpf" && m.MountPropagation != "Bidirectional" {
			t.Error("bpffs is not mounted with Bidirectional propagation: pins would not outlive the pod")
		}
	}
	for _, host := range []string{"/sys/fs/bpf", "/sys/kernel/tracing", "/sys/kernel/debug", "/sys/kernel/btf", "/run/polrun"} {
		if v, ok := mounts[host]; !ok || volumes[v] != host {
			t.Errorf("polrun does not mount the host's %s at %s", host, host)
		}
	}

	// The command line: polrun serve with flags polrun has, a bundle
	// directory and keys that are mounted, metrics on the port the probes
	// use.
	args := polrun.Args
	if len(args) == 0 || args[0] != "serve" {
		t.Fatalf("polrun args %q: not polrun serve", args)
	}
	values := map[string]string{}
	for i := 1; i < len(args); i++ {
		name, ok := strings.CutPrefix(args[i], "--")
		if !ok {
			t.Errorf("argument %q is not a flag", args[i])
			continue
		}
		name, val, hasVal := strings.Cut(name, "=")
		if !flags[name] {
			t.Errorf("polrun serve has no flag --%s", name)
		}
		if !hasVal && i+1 < len(args) && !strings.HasPrefix(args[i+1], "--") {
			val = args[i+1]
			i++
		}
		values[name] = val
	}
	env := map[string]bool{}
	for _, e := range polrun.Env {
		env[e.Name] = e.Value != "" || e.ValueFrom != nil
	}
	for _, ref := range regexp.MustCompile(`\$\(([A-Z_]+)\)`).FindAllStringSubmatch(strings.Join(args, " "), -1) {
		if !env[ref[1]] {
			t.Errorf("args use $(%s), which is not set", ref[1])
		}
	}
	if mounts[values["dir"]] == "" {
		t.Errorf("--dir %q is not a mounted volume", values["dir"])
	}
	// The kubelet makes a ConfigMap volume's files symbolic links, which
	// polrun serve refuses without the flag.
	if _, follow := values["follow-symlinks"]; configMaps[mounts[values["dir"]]] && !follow {
		t.Errorf("--dir %q is a ConfigMap volume (symbolic links), without --follow-symlinks", values["dir"])
	}
	if key := values["verify"]; key != "" && mounts[filepath.Dir(key)] == "" {
		t.Errorf("--verify %q is not in a mounted volume", key)
	}
	host, port, err := net.SplitHostPort(values["metrics-addr"])
	if err != nil || port == "" {
		t.Fatalf("--metrics-addr %q", values["metrics-addr"])
	}
	// polrun takes ":PORT" for the loopback interface, where neither the
	// kubelet's probes nor Prometheus reach it: the manifest must name the
	// address it binds.
	if ip := net.ParseIP(host); ip == nil || ip.IsLoopback() {
		t.Errorf("--metrics-addr %q: name a non-loopback address (0.0.0.0:PORT); the probes reach the pod's IP", values["metrics-addr"])
	}
	portNames := map[string]string{}
	for _, p := range polrun.Ports {
		portNames[p.Name] = fmt.Sprint(p.ContainerPort)
	}
	for what, pr := range map[string]*probe{"/readyz": polrun.ReadinessProbe, "/healthz": polrun.LivenessProbe} {
		if pr == nil || pr.HTTPGet == nil {
			t.Errorf("no %s probe over HTTP", what)
			continue
		}
		p := fmt.Sprint(pr.HTTPGet.Port)
		if n, ok := portNames[p]; ok {
			p = n
		}
		if pr.HTTPGet.Path != what || p != port {
			t.Errorf("probe GET %s on port %s; polrun serves %s on %s", pr.HTTPGet.Path, p, what, port)
		}
	}
	// A pinned image: a tag other than latest, or a digest.
	if !regexp.MustCompile(`^[^@:]+(:[A-Za-z0-9_][A-Za-z0-9_.-]*|@sha256:[0-9a-f]{64})$`).MatchString(polrun.Image) || strings.HasSuffix(polrun.Image, ":latest") {
		t.Errorf("image %q: pin a tag (not latest) or a digest", polrun.Image)
	}
	// Resource requests, stated with the measurement they come from.
	if req, ok := polrun.Resources["requests"].(map[string]any); !ok || req["cpu"] == nil || req["memory"] == nil {
		t.Errorf("no cpu and memory requests: %v", polrun.Resources)
	}
	// The keys ConfigMap is optional: without it the pod starts and says
	// why it loads nothing.
	if key := values["verify"]; key != "" && !optionalConfigMaps[mounts[filepath.Dir(key)]] {
		t.Errorf("the keys ConfigMap of --verify %s is not optional", key)
	}
	if a := ds.Spec.Template.Metadata.Annotations; a["prometheus.io/port"] != port || a["prometheus.io/path"] != "/metrics" {
		t.Errorf("scrape annotations %v", a)
	}
}

// polrunServeFlags builds polrun and asks it for the flags of serve.
func polrunServeFlags(t *testing.T) map[string]bool {
	testenv.Require(t, testenv.Tool("go"))
	bin := filepath.Join(t.TempDir(), "polrun")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/polrun").CombinedOutput(); err != nil {
		t.Fatalf("build polrun: %v\n%s", err, out)
	}
	out, _ := exec.Command(bin, "serve", "-h").CombinedOutput()
	flags := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  -([a-z-]+)`).FindAllStringSubmatch(string(out), -1) {
		flags[m[1]] = true
	}
	if !flags["dir"] {
		t.Fatalf("polrun serve -h:\n%s", out)
	}
	return flags
}

// The oras sidecar's script, run with stand-ins for oras (copying an
// "artifact" directory) and sleep (ending the loop after one pass): it
// mirrors the artifact into the bundle directory by rename, leaves
// unchanged files alone and keeps the bundles when a pull fails.
func TestOrasSidecarScript(t *testing.T) {
	testenv.Require(t, testenv.Tool("sh"), testenv.Tool("cmp"))
	var script string
	for _, o := range readManifests(t, "oci.yaml") {
		for _, c := range o.Spec.Template.Spec.Containers {
			if c.Name == "pull-bundles" && len(c.Command) == 3 && c.Command[1] == "-c" {
				script = c.Command[2]
			}
		}
	}
	if script == "" {
		t.Fatal("no pull-bundles container running sh -c SCRIPT in oci.yaml")
	}
	tmp := t.TempDir()
	bundles, artifact, bin := filepath.Join(tmp, "bundles"), filepath.Join(tmp, "artifact"), filepath.Join(tmp, "bin")
	for _, d := range []string{bundles, artifact, bin} {
		os.Mkdir(d, 0o755)
	}
	write := func(path, content string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// oras pull --no-tty -o DIR REF copies the artifact's files to DIR,
	// or fails when $ORAS_FAIL is set.
	write(filepath.Join(bin, "oras"), `#!/bin/sh
[ -z "$ORAS_FAIL" ] || exit 1
[ "$1 $2 $3" = "pull --no-tty -o" ] && [ "$5" = "registry.example.com/security/polc-policies:prod" ] || { echo "UNEXPECTED oras $*" >&2; exit 2; }
cp "$ARTIFACT_DIR"/* "$4"/
`)
	write(filepath.Join(bin, "sleep"), "#!/bin/sh\nkill $PPID\n")
	run := func(fail bool) {
		t.Helper()
		cmd := exec.Command("sh", "-c", strings.ReplaceAll(script, "/bundles", bundles))
		cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "ARTIFACT_DIR="+artifact,
			"ARTIFACT=registry.example.com/security/polc-policies:prod")
		if fail {
			cmd.Env = append(cmd.Env, "ORAS_FAIL=1")
		}
		out, _ := cmd.CombinedOutput() // ended by the stand-in sleep's kill
		if strings.Contains(string(out), "UNEXPECTED") || strings.Contains(string(out), "failed") != fail {
			t.Errorf("script said: %s", out)
		}
	}
	listing := func() string {
		ents, _ := os.ReadDir(bundles)
		var names []string
		for _, e := range ents {
			if !strings.HasPrefix(e.Name(), ".") {
				data, _ := os.ReadFile(filepath.Join(bundles, e.Name()))
				names = append(names, e.Name()+"="+string(data))
			}
		}
		return strings.Join(names, " ")
	}
	ino := func(name string) uint64 {
		st, err := os.Stat(filepath.Join(bundles, name))
		if err != nil {
			return 0
		}
		return st.Sys().(*syscall.Stat_t).Ino
	}

	write(filepath.Join(artifact, "a.bpf.o"), "a1")
	write(filepath.Join(artifact, "a.bpf.o.sig"), "sa1")
	write(filepath.Join(artifact, "b.bpf.o"), "b1")
	write(filepath.Join(bundles, "stale.bpf.o"), "s")
	write(filepath.Join(bundles, "stale.bpf.o.sig"), "ss")
	write(filepath.Join(bundles, "notes.txt"), "n")
	run(false)
	if got := listing(); got != "a.bpf.o=a1 a.bpf.o.sig=sa1 b.bpf.o=b1 notes.txt=n" {
		t.Errorf("after the first pull: %s", got)
	}
	a := ino("a.bpf.o")
	write(filepath.Join(artifact, "b.bpf.o"), "b2")
	run(false)
	if got := listing(); got != "a.bpf.o=a1 a.bpf.o.sig=sa1 b.bpf.o=b2 notes.txt=n" || ino("a.bpf.o") != a {
		t.Errorf("after the second pull: %s (a.bpf.o rewritten: %v)", got, ino("a.bpf.o") != a)
	}
	os.Remove(filepath.Join(artifact, "b.bpf.o"))
	run(true)
	if got := listing(); got != "a.bpf.o=a1 a.bpf.o.sig=sa1 b.bpf.o=b2 notes.txt=n" {
		t.Errorf("after a failed pull: %s", got)
	}
	run(false)
	if got := listing(); got != "a.bpf.o=a1 a.bpf.o.sig=sa1 notes.txt=n" {
		t.Errorf("after a pull without b: %s", got)
	}
}
