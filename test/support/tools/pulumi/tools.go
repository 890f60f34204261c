//go:build tools

// Keeps the pinned Pulumi CLI in go.mod; build.sh builds it from here.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
