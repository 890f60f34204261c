// The plugin's runtime entry (package.json `main`); index.ts beside it is what the schema is read from.
// The components are compiled by tsx (esbuild, no type check), so they load the same whatever folder the
// consumer runs the CLI in: ts-node, which the Node.js host registers, would take that folder's tsconfig.json,
// or TypeScript's loose defaults, instead of the repository's.
"use strict";
require("tsx/cjs");
module.exports = require("../components");
