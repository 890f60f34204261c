//go:build tools

// Keeps the pinned plugins in go.mod; build.sh builds them from here.
package tools

import (
	_ "github.com/pulumi/pulumi-command/provider/cmd/pulumi-resource-command"
	_ "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3"
)
