package main

import (
	"encoding/json"
	"fmt"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/cli-runtime/pkg/resource"
)

// decode prints what `kubectl apply -f FILE` would send, using kubectl's own resource builder (k8s.io/cli-runtime):
// FilenameParam (a FileVisitor: UTF-16 byte-order marks honoured) → StreamVisitor (apimachinery's
// NewYAMLOrJSONDecoder on sigs.k8s.io/yaml) → the unstructured JSON scheme → Flatten (kind: List and any object
// with `items`), locally, without a server. One JSON line per object: {"object": …}; then, if kubectl would
// fail, one line {"error": "…"} and exit status 1.
func decode(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: krps-go decode FILE")
		return 2
	}
	result := resource.NewLocalBuilder().
		Unstructured().
		FilenameParam(false, &resource.FilenameOptions{Filenames: []string{args[0]}}).
		Flatten().
		ContinueOnError().
		Do()
	out := json.NewEncoder(os.Stdout)
	err := result.Visit(func(info *resource.Info, err error) error {
		if err != nil {
			return err
		}
		object, ok := info.Object.(*unstructured.Unstructured)
		if !ok {
			return fmt.Errorf("unexpected object type %T", info.Object)
		}
		return out.Encode(map[string]interface{}{"object": object.Object})
	})
	if err != nil {
		_ = out.Encode(map[string]string{"error": err.Error()})
		return 1
	}
	return 0
}
