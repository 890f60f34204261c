// The components are the repository's own (../components): their dependencies are the repository's. When
// Pulumi installs this package from a clone it runs `npm install` here only, so install the repository's
// runtime dependencies too (not its test tooling), unless they are there already (a checkout where `npm ci` ran).
"use strict";
const { execFileSync } = require("child_process");
const path = require("path");
const root = path.resolve(__dirname, "..");
try {
    require.resolve("@pulumi/pulumi", { paths: [root] });
} catch {
    execFileSync(process.platform === "win32" ? "npm.cmd" : "npm", ["ci", "--omit=dev", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
}
