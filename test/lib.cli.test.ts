/** The command-line pieces both commands share (lib/cli): help text, help detection, npm's script environment. */

import { describe, expect, it } from "vitest";
import { wantsHelp } from "../lib/cli/args";
import { UsageError } from "../lib/cli/errors";
import { CommandHelp, helpText, inputErrorText } from "../lib/cli/help";
import { isOwnNpmScript, npmTookOptionsText, NpmScript, userDir } from "../lib/cli/npmScript";

const OWN: NpmScript = { packageName: "kuberay-pod-security", script: "pss", bin: "kuberay-pss" };
/** What npm sets for `npm run pss` started in /home/u/manifests. */
const NPM_RUN = { npm_lifecycle_event: "pss", npm_package_name: "kuberay-pod-security", INIT_CWD: "/home/u/manifests" };

describe("the user's folder", () => {
    it("is INIT_CWD for this package's own script, where npm started", () => {
        expect(userDir(OWN, NPM_RUN, "/repo")).toBe("/home/u/manifests");
    });

    it("is the process's folder for npx, a shell, or another package's script (which runs in its own root)", () => {
        expect(userDir(OWN, { ...NPM_RUN, npm_lifecycle_event: "npx" }, "/home/u/manifests")).toBe("/home/u/manifests");
        expect(userDir(OWN, {}, "/home/u")).toBe("/home/u");
        expect(userDir(OWN, { ...NPM_RUN, npm_package_name: "their-app" }, "/their-app")).toBe("/their-app");
        expect(userDir(OWN, { ...NPM_RUN, npm_lifecycle_event: "test" }, "/repo")).toBe("/repo");
        expect(isOwnNpmScript(OWN, NPM_RUN)).toBe(true);
    });
});

describe("options npm kept for itself", () => {
    it("are named, with the two ways to write them, only under this package's own script", () => {
        const env = { ...NPM_RUN, npm_config_level: "baseline", npm_config_recursive: "true" };
        expect(npmTookOptionsText("pss", OWN, ["level", "allow-empty", "recursive"], env)).toBe(
            "pss: npm took --level, --recursive for itself: put the options after `--` (`npm run -s pss -- …`) or run `npx kuberay-pss …`\n",
        );
        expect(npmTookOptionsText("pss", OWN, ["level"], { ...env, npm_lifecycle_event: "npx" })).toBeUndefined();
        expect(npmTookOptionsText("pss", OWN, ["level"], NPM_RUN)).toBeUndefined();
        expect(npmTookOptionsText("verify", { ...OWN, script: "verify" }, ["audit-log"], { ...NPM_RUN, npm_lifecycle_event: "verify", npm_config_audit_log: "true" })).toMatch(/^verify: npm took --audit-log for itself/);
    });
});

describe("help and usage", () => {
    const help: CommandHelp = {
        usage: ["tool [--x N] FILE…", "tool sub --y"],
        about: `${"word ".repeat(30)}\`a quoted command that must stay on one line\` end.`,
        options: [
            ["--x N", "the x"],
            ["-h, --help", "print this help"],
        ],
        exits: [
            [0, "fine"],
            [2, "bad input"],
        ],
    };

    it("prints usage, what it does (wrapped, commands whole), options and exit statuses", () => {
        const text = helpText(help);
        expect(text.startsWith("usage: tool [--x N] FILE…\n       tool sub --y\n\nword word")).toBe(true);
        expect(text).toContain("\noptions:\n  --x N       the x\n  -h, --help  print this help\n\nexit status:\n  0  fine\n  2  bad input\n");
        expect(text.split("\n").every((line) => line.length <= 100)).toBe(true);
        expect(text).toContain("`a quoted command that must stay on one line`");
    });

    it("a bad argument: one line, then the usage only when the arguments themselves were wrong", () => {
        expect(inputErrorText("tool", new UsageError("Unknown option '--z'", true), help)).toBe("tool: Unknown option '--z'\nusage: tool [--x N] FILE…\n       tool sub --y\n");
        expect(inputErrorText("tool", new UsageError("no such stack"), help)).toBe("tool: no such stack\n");
    });

    it("--help or -h anywhere before `--` asks for help", () => {
        expect(wantsHelp(["--bogus", "-h"])).toBe(true);
        expect(wantsHelp(["audit", "--help"])).toBe(true);
        expect(wantsHelp(["--", "--help"])).toBe(false);
        expect(wantsHelp(["--helpful"])).toBe(false);
    });
});
