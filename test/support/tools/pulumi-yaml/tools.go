//go:build tools

// Keeps the pinned Pulumi YAML language host in go.mod; build.sh builds it from here.
package tools

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
