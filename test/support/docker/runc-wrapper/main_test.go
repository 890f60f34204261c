package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestTarget(t *testing.T) {
	cases := []struct {
		args      []string
		file, key string
	}{
		{[]string{"--root", "/run/r", "--log", "/l", "--log-format", "json", "create", "--bundle", "/b", "--pid-file", "/p", "id"}, "/b/config.json", "process"},
		{[]string{"--systemd-cgroup", "create", "-b", "/b", "id"}, "/b/config.json", "process"},
		{[]string{"run", "--bundle=/b", "id"}, "/b/config.json", "process"},
		{[]string{"create", "id"}, "config.json", "process"},
		{[]string{"--root", "/run/r", "exec", "--process", "/tmp/p.json", "--detach", "id"}, "/tmp/p.json", ""},
		{[]string{"exec", "-p", "/tmp/p.json", "id"}, "/tmp/p.json", ""},
		{[]string{"--root", "/run/r", "start", "id"}, "", ""},
		{[]string{"--root", "create", "state", "id"}, "", ""},
	}
	for _, c := range cases {
		file, key := target(c.args)
		if file != c.file || key != c.key {
			t.Errorf("target(%q) = %q, %q; want %q, %q", c.args, file, key, c.file, c.key)
		}
	}
}

func TestDropCapability(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "config.json")
	all := []any{"CAP_CHOWN", "CAP_SYS_RESOURCE", "CAP_SYS_ADMIN"}
	doc := map[string]any{"ociVersion": "1.0.2", "process": map[string]any{"args": []any{"sh"}, "capabilities": map[string]any{
		"bounding": all, "effective": all, "permitted": all, "inheritable": all, "ambient": []any{"CAP_SYS_RESOURCE"},
	}}}
	data, _ := json.Marshal(doc)
	if err := os.WriteFile(spec, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := dropCapability(spec, "process"); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	data, _ = os.ReadFile(spec)
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	caps := got["process"].(map[string]any)["capabilities"].(map[string]any)
	for _, set := range []string{"bounding", "effective", "permitted", "inheritable"} {
		if !reflect.DeepEqual(caps[set], []any{"CAP_CHOWN", "CAP_SYS_ADMIN"}) {
			t.Errorf("%s = %v", set, caps[set])
		}
	}
	if len(caps["ambient"].([]any)) != 0 {
		t.Errorf("ambient = %v", caps["ambient"])
	}
	if got["ociVersion"] != "1.0.2" || got["process"].(map[string]any)["args"].([]any)[0] != "sh" {
		t.Errorf("other fields changed: %v", got)
	}
	if info, _ := os.Stat(spec); info.Mode().Perm() != 0o600 {
		t.Errorf("mode changed to %v", info.Mode().Perm())
	}

	// A process file (exec) holds the capabilities at its top level.
	process := filepath.Join(dir, "process.json")
	data, _ = json.Marshal(map[string]any{"capabilities": map[string]any{"bounding": all}})
	_ = os.WriteFile(process, data, 0o644)
	if err := dropCapability(process, ""); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(process)
	_ = json.Unmarshal(data, &got)
	if !reflect.DeepEqual(got["capabilities"].(map[string]any)["bounding"], []any{"CAP_CHOWN", "CAP_SYS_ADMIN"}) {
		t.Errorf("process file: %v", got)
	}
}
