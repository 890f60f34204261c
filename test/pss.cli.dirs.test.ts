/**
 * Directories and -R, as `kubectl apply -f DIR [-R]` reads them (k8s.io/cli-runtime's ExpandPathsToFileVisitors):
 * .json, .yaml and .yml files in byte order of their names, subfolders only with -R, depth first; and relative
 * paths read from the user's folder (io.cwd), never the process's.
 */

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { runPss } from "./helpers/pssCli";

const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {containers: [{name: c, image: x}]}\n`;
const service = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n";

/** A folder with `files` (path → content) written under it. */
function tree(files: Record<string, string>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pss-dirs-"));
    for (const [file, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), content);
    }
    return root;
}

const cli = (args: string[], cwd: string) => runPss(args, { cwd });

/** The files of a `--json --level baseline` run, in report order (each Pod is named after its file). */
const filesRead = (args: string[], cwd: string) => JSON.parse(cli(["--json", "--level", "baseline", ...args], cwd).stdout).map((r: { file: string }) => r.file);

describe("pss reads a directory as kubectl apply -f does", () => {
    const root = tree({
        "k8s/b.yaml": pod("b"),
        "k8s/B.yml": pod("B"),
        "k8s/a.json": JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "a" }, spec: { containers: [{ name: "c", image: "x" }] } }),
        "k8s/.yaml": pod("hidden"),
        "k8s/c.YAML": pod("upper"),
        "k8s/notes.txt": "not a manifest: never read\n",
        "k8s/m/inner.yaml": pod("inner"),
        "k8s/m/deeper/z.yml": pod("z"),
        "k8s/n.yaml": pod("n"),
        "k8s/zz/last.yaml": pod("last"),
    });

    it("reads the .json, .yaml and .yml files in byte order of their names, not the subfolders", () => {
        expect(filesRead(["k8s"], root)).toEqual(["k8s/.yaml", "k8s/B.yml", "k8s/a.json", "k8s/b.yaml", "k8s/n.yaml"]);
    });

    it("sorts names by their UTF-8 bytes, as Go does, not by UTF-16 code units", () => {
        // U+FF5A is EF BD 9A in UTF-8 and FF5A in UTF-16; U+1F600 is F0 9F 98 80, and D83D DE00.
        const root = tree({ "u/\u{1F600}.yaml": pod("emoji"), "u/\uFF5A.yaml": pod("fullwidth") });
        expect(filesRead(["u"], root)).toEqual(["u/\uFF5A.yaml", "u/\u{1F600}.yaml"]);
    });

    it("with -R or --recursive, descends depth first, each folder where its name sorts", () => {
        const expected = ["k8s/.yaml", "k8s/B.yml", "k8s/a.json", "k8s/b.yaml", "k8s/m/deeper/z.yml", "k8s/m/inner.yaml", "k8s/n.yaml", "k8s/zz/last.yaml"];
        expect(filesRead(["-R", "k8s"], root)).toEqual(expected);
        expect(filesRead(["--recursive", "k8s/"], root)).toEqual(expected);
    });

    it("reads a file named on its own whatever its extension, and arguments in the order given", () => {
        expect(filesRead(["k8s/c.YAML", "k8s/m"], root)).toEqual(["k8s/c.YAML", "k8s/m/inner.yaml"]);
    });

    it("reads relative paths from the user's folder, and shows them as written", () => {
        const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "pss-elsewhere-"));
        expect(cli(["k8s/n.yaml"], elsewhere)).toMatchObject({ code: 2, stderr: "pss: k8s/n.yaml: cannot read: no such file\n" });
        expect(filesRead(["k8s/n.yaml"], root)).toEqual(["k8s/n.yaml"]);
        expect(filesRead([path.join(root, "k8s", "n.yaml")], elsewhere)).toEqual([path.join(root, "k8s", "n.yaml")]);
    });
});

describe("a directory with nothing to check", () => {
    it("passes when some file has a Pod, its Services and empty files skipped in place", () => {
        const root = tree({ "app/0-service.yaml": service, "app/1-empty.yaml": "# nothing yet\n", "app/2-pod.yaml": pod("p") });
        const { code, stdout } = cli(["--level", "baseline", "app"], root);
        expect(code).toBe(0);
        expect(stdout).toMatch(/^FILE\s+DOC\s+OBJECT\s+POD\s+RESULT\napp\/0-service\.yaml\s+0\s+Service\/s\s+-\s+skipped: .*\napp\/2-pod\.yaml\s+0\s+Pod\/p\s+-\s+allowed\n/);
    });

    it("exits 2 when no file of it carries a Pod, or it has no manifest file; --allow-empty lets both pass", () => {
        const root = tree({ "svc/a.yaml": service, "none/README.md": "# docs\n", "nested/sub/p.yaml": pod("p") });
        expect(cli(["svc"], root)).toEqual({ code: 2, stdout: "", stderr: "pss: svc: nothing to check: no object in its 1 file(s) carries a Pod; --allow-empty lets that pass\n" });
        expect(cli(["none"], root).stderr).toBe("pss: none: nothing to check: no .json, .yaml, .yml file in it (-R reads its subfolders); --allow-empty lets that pass\n");
        expect(cli(["nested"], root).code).toBe(2);
        expect(cli(["-R", "--level", "baseline", "nested"], root).code).toBe(0);
        expect(cli(["--allow-empty", "svc", "none"], root).code).toBe(0);
    });

    it("still refuses a bad file in it, naming the file", () => {
        const root = tree({ "app/a.yaml": pod("a"), "app/b.yaml": "kind: Pod\nmetadata: {name: [x\n" });
        const { code, stdout, stderr } = cli(["app"], root);
        expect([code, stdout]).toEqual([2, ""]);
        expect(stderr).toMatch(/^pss: app\/b\.yaml: line \d+, column \d+: invalid YAML/);
    });
});

describe("links, as kubectl's walk treats them", () => {
    it("refuses a link to a directory given as the argument (kubectl reads it as a file), and reads link/", () => {
        const root = tree({ "real/p.yaml": pod("p") });
        fs.symlinkSync(path.join(root, "real"), path.join(root, "link"));
        expect(cli(["link"], root)).toEqual({ code: 2, stdout: "", stderr: "pss: link: cannot read: a link to a directory, which kubectl -f reads as a file; write link/ for the directory\n" });
        expect(filesRead(["link/"], root)).toEqual(["link/p.yaml"]);
    });

    it("does not follow a link to a folder inside a directory, even with -R", () => {
        const root = tree({ "app/p.yaml": pod("p"), "other/q.yaml": pod("q") });
        fs.symlinkSync(path.join(root, "other"), path.join(root, "app", "sub"));
        expect(filesRead(["-R", "app"], root)).toEqual(["app/p.yaml"]);
    });
});
