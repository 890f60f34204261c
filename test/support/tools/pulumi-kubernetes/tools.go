//go:build tools

// Keeps the provider's packages in go.mod; build.sh builds its main package (upstream's
// cmd/pulumi-resource-kubernetes, copied from ../shared/vendor into a build directory) against this graph.
package tools

import (
	_ "github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	_ "github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)
