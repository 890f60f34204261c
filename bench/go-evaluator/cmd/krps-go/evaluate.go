package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	sigsjson "sigs.k8s.io/json"
)

type violation struct {
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

type podResult struct {
	File       string      `json:"file"`
	Document   int         `json:"document"`
	Kind       string      `json:"kind"`
	Name       string      `json:"name"`
	Pod        string      `json:"pod"`
	Level      string      `json:"level"`
	Version    string      `json:"version"`
	Allowed    bool        `json:"allowed"`
	Violations []violation `json:"violations"`
	Message    string      `json:"message"`
}

// evaluate runs Pod Security Admission's evaluator (what the API server runs) on every Pod of FILE, read as
// kubectl reads it (a UTF-16/UTF-8 byte-order mark honoured, then apimachinery's NewYAMLOrJSONDecoder on
// sigs.k8s.io/yaml), each Pod decoded as the API server decodes JSON (sigs.k8s.io/json, case-sensitive).
// It prints a JSON array like `pss --json` (without check IDs, which upstream does not expose). Exit 0: all
// allowed; 1: one refused; 2: unreadable input.
func evaluate(args []string) int {
	flags := flag.NewFlagSet("evaluate", flag.ContinueOnError)
	levelFlag := flags.String("level", "restricted", "Pod Security level")
	versionFlag := flags.String("version", "latest", "Pod Security version")
	if err := flags.Parse(args); err != nil || flags.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: krps-go evaluate [-level L] [-version V] FILE")
		return 2
	}
	level, err := api.ParseLevel(*levelFlag)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	version, err := api.ParseVersion(*versionFlag)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	evaluator, err := policy.NewEvaluator(policy.DefaultChecks(), nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	file := flags.Arg(0)
	var input io.Reader = os.Stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		defer f.Close()
		input = f
	}
	input = transform.NewReader(input, unicode.BOMOverride(unicode.UTF8.NewDecoder()))
	lv := api.LevelVersion{Level: level, Version: version}
	policyName := lv.String()

	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	defer out.Flush()
	decoder := yaml.NewYAMLOrJSONDecoder(input, 4096)
	refused, count := false, 0
	out.WriteString("[")
	for document := 0; ; document++ {
		ext := runtime.RawExtension{}
		if err := decoder.Decode(&ext); err != nil {
			if err == io.EOF {
				break
			}
			out.Flush()
			fmt.Fprintf(os.Stderr, "krps-go: %s: document %d: %v\n", file, document, err)
			return 2
		}
		raw := bytes.TrimSpace(ext.Raw)
		if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
			continue
		}
		var probe struct {
			Kind     string `json:"kind"`
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		if err := sigsjson.UnmarshalCaseSensitivePreserveInts(raw, &probe); err != nil || probe.Kind != "Pod" {
			continue
		}
		var pod corev1.Pod
		if err := sigsjson.UnmarshalCaseSensitivePreserveInts(raw, &pod); err != nil {
			out.Flush()
			fmt.Fprintf(os.Stderr, "krps-go: %s: document %d: %v\n", file, document, err)
			return 2
		}
		result := policy.AggregateCheckResults(evaluator.EvaluatePod(lv, &pod.ObjectMeta, &pod.Spec))
		entry := podResult{File: file, Document: document, Kind: probe.Kind, Name: probe.Metadata.Name, Level: *levelFlag, Version: *versionFlag, Allowed: result.Allowed, Violations: []violation{}}
		if !result.Allowed {
			refused = true
			for i := range result.ForbiddenReasons {
				entry.Violations = append(entry.Violations, violation{result.ForbiddenReasons[i], result.ForbiddenDetails[i]})
			}
			entry.Message = fmt.Sprintf("violates PodSecurity %q: %s", policyName, result.ForbiddenDetail())
		}
		text, _ := json.MarshalIndent(entry, "  ", "  ")
		if count > 0 {
			out.WriteString(",")
		}
		out.WriteString("\n  ")
		out.Write(text)
		count++
	}
	if count > 0 {
		out.WriteString("\n")
	}
	out.WriteString("]\n")
	if refused {
		return 1
	}
	return 0
}
