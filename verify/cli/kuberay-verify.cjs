#!/usr/bin/env node
// kuberay-verify: the deployment's checks and the audit-log reader (verify/main.ts), run from its bundle
// (lib/cli/launch.cjs): an installed package has no tsx to run TypeScript.
"use strict";
const path = require("path");

const tool = {
    name: "verify",
    bin: __filename,
    entry: path.join(__dirname, "..", "main.ts"),
    // Dependencies stay in node_modules: client-node is large, and loaded only when a cluster is checked.
    packages: "external",
};
module.exports = tool;

if (require.main === module) require("../../lib/cli/launch.cjs").launch(tool);
