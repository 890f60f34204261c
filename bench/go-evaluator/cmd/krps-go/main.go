// krps-go is the upstream side of the Pod Security checker's benchmark and of its YAML-decoding e2e test.
//
//	krps-go evaluate [-level L] [-version V] FILE   Pod Security Admission's own evaluator on every Pod of FILE
//	krps-go decode FILE                             the objects kubectl would send for FILE, one JSON line each
//
// FILE may be "-" for stdin. Both read FILE as kubectl does (see decode.go).
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: krps-go evaluate [-level L] [-version V] FILE | krps-go decode FILE")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "evaluate":
		os.Exit(evaluate(os.Args[2:]))
	case "decode":
		os.Exit(decode(os.Args[2:]))
	default:
		fmt.Fprintf(os.Stderr, "krps-go: unknown command %q\n", os.Args[1])
		os.Exit(2)
	}
}
