// A test-environment adaptation, never part of the program: the machines the suites run on withhold
// CAP_SYS_RESOURCE from every process, and Docker asks runc for every capability for a `--privileged`
// container (kind's nodes are), which then fails with "unable to apply caps: operation not permitted".
// Registered as the Docker engine's default runtime, this removes CAP_SYS_RESOURCE from the capability sets
// of the container's OCI spec (create/run: <bundle>/config.json) or of the process file (exec --process FILE)
// and hands over to the real runc, which sits beside it.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

const withheld = "CAP_SYS_RESOURCE"

func main() {
	self, err := os.Executable()
	if err != nil {
		fail(err)
	}
	runc := filepath.Join(filepath.Dir(self), "runc")
	args := os.Args[1:]
	if file, key := target(args); file != "" {
		if err := dropCapability(file, key); err != nil {
			fail(err)
		}
	}
	if err := syscall.Exec(runc, append([]string{"runc"}, args...), os.Environ()); err != nil {
		fail(err)
	}
}

// target returns the JSON file to edit and where its capabilities are ("process" in a spec, "" in a process file).
func target(args []string) (string, string) {
	command := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		if command == "" {
			if !strings.HasPrefix(a, "-") {
				command = a
			} else if !strings.Contains(a, "=") && takesValue(a) {
				i++
			}
			continue
		}
		switch command {
		case "create", "run":
			if v, ok := flagValue(args, &i, "--bundle", "-b"); ok {
				return filepath.Join(v, "config.json"), "process"
			}
		case "exec":
			if v, ok := flagValue(args, &i, "--process", "-p"); ok {
				return v, ""
			}
		}
	}
	switch command {
	case "create", "run":
		return "config.json", "process" // runc's default bundle is the working directory
	}
	return "", ""
}

// Global flags of runc that take a separate value.
func takesValue(flag string) bool {
	switch flag {
	case "--root", "--log", "--log-format", "--criu", "--rootless":
		return true
	}
	return false
}

func flagValue(args []string, i *int, long, short string) (string, bool) {
	a := args[*i]
	for _, name := range []string{long, short} {
		if a == name && *i+1 < len(args) {
			*i++
			return args[*i], true
		}
		if strings.HasPrefix(a, name+"=") {
			return strings.TrimPrefix(a, name+"="), true
		}
	}
	return "", false
}

func dropCapability(file, key string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	holder := doc
	if key != "" {
		p, ok := doc[key].(map[string]any)
		if !ok {
			return nil
		}
		holder = p
	}
	caps, ok := holder["capabilities"].(map[string]any)
	if !ok {
		return nil
	}
	changed := false
	for set, list := range caps {
		items, ok := list.([]any)
		if !ok {
			continue
		}
		kept := items[:0:0]
		for _, c := range items {
			if c == withheld {
				changed = true
				continue
			}
			kept = append(kept, c)
		}
		caps[set] = kept
	}
	if !changed {
		return nil
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	info, err := os.Stat(file)
	if err != nil {
		return err
	}
	return os.WriteFile(file, out, info.Mode().Perm())
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "krps-runc-wrapper: %v\n", err)
	os.Exit(1)
}
