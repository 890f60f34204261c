import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./problems";
import { loadStackConfig, StackConfig } from "./stackConfig";
import { configTree } from "./tree";

/**
 * Reads and validates the running stack's configuration. A bad value stops the program with one message
 * (a RunError: Pulumi prints it without a stack trace) before any resource is declared.
 */
export function readStackConfig(): StackConfig {
    const tree = configTree(pulumi.runtime.allConfig(), pulumi.getProject());
    try {
        return loadStackConfig(tree, {
            stack: pulumi.getStack(),
            resolvePath: (file) => path.resolve(file.startsWith("~/") ? path.join(os.homedir(), file.slice(2)) : file),
            isReadableFile: (file) => {
                try {
                    fs.accessSync(file, fs.constants.R_OK);
                    return fs.statSync(file).isFile();
                } catch {
                    return false;
                }
            },
            isDirectory: (file) => {
                try {
                    return fs.statSync(file).isDirectory();
                } catch {
                    return false;
                }
            },
            readFile: (file) => {
                try {
                    return fs.readFileSync(file, "utf8");
                } catch {
                    return undefined;
                }
            },
        });
    } catch (error) {
        if (error instanceof ConfigError) {
            throw new pulumi.RunError(error.message);
        }
        throw error;
    }
}
