import { execFileSync } from "child_process";
import { projectPath } from "../paths";

/**
 * What an images script has built, as its `--list` prints it: one `<name> <path>` line each. Throws, naming
 * the npm script that builds them, when they are not built.
 */
export function listBuiltImages(images: "node" | "kind"): string[][] {
    const script = projectPath("test", "support", "images", images, "build.sh");
    let listing: string;
    try {
        listing = execFileSync("bash", [script, "--list"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
        throw new Error(`The ${images} images are not built: run \`npm run ${images}:images\` first.\n${(error as { stderr?: string }).stderr ?? ""}`);
    }
    return listing.split("\n").filter(Boolean).map((line) => line.split(" "));
}
