#!/usr/bin/env node
// kuberay-pss: the Pod Security checker's command (main.ts), run from its bundle (lib/cli/launch.cjs).
"use strict";
const path = require("path");

const tool = {
    name: "pss",
    bin: __filename,
    entry: path.join(__dirname, "main.ts"),
    // js-yaml is bundled (start-up); the `yaml` package, needed only for unusual documents, stays a lazy require.
    external: ["yaml"],
};
module.exports = tool;

if (require.main === module) require("../../lib/cli/launch.cjs").launch(tool);
