/**
 * A command started by `npm run` for its own package: npm runs the script in the package's root, keeps the
 * user's folder in INIT_CWD, and takes the options written before `--` for itself.
 */

export interface NpmScript {
    /** package.json's name. */
    packageName: string;
    /** The script that runs the command (`npm run <script>`). */
    script: string;
    /** The command's name in package.json's `bin` (`npx <bin>`). */
    bin: string;
}

type Env = Record<string, string | undefined>;

/** npm is running this package's own script: not npx, not the installed command, not another package's script. */
export function isOwnNpmScript(own: NpmScript, env: Env = process.env): boolean {
    return env.npm_lifecycle_event === own.script && env.npm_package_name === own.packageName;
}

/**
 * The folder the user typed the command in, where relative paths are read from. INIT_CWD is trusted only for
 * this package's own script: another package's script that calls the installed command runs in that package's
 * root, where its relative paths belong, while INIT_CWD names wherever npm was started.
 */
export function userDir(own: NpmScript, env: Env = process.env, cwd: string = process.cwd()): string {
    return isOwnNpmScript(own, env) && env.INIT_CWD ? env.INIT_CWD : cwd;
}

/**
 * The command's long options that npm kept for itself: `npm run verify --stack=dev` (no `--`) sets
 * npm_config_stack and passes nothing on, so the command would quietly use its default. Only options npm does
 * not know itself should be asked about: npm's own (`--json`) may come from an .npmrc.
 */
export function optionsTakenByNpm(own: NpmScript, options: readonly string[], env: Env = process.env): string[] {
    if (!isOwnNpmScript(own, env)) return [];
    return options.filter((option) => env[`npm_config_${option.replace(/-/g, "_")}`] !== undefined);
}

/** The one line that says so, and how to write it; undefined when npm took none. */
export function npmTookOptionsText(command: string, own: NpmScript, options: readonly string[], env: Env = process.env): string | undefined {
    const taken = optionsTakenByNpm(own, options, env);
    if (taken.length === 0) return undefined;
    const list = taken.map((option) => `--${option}`).join(", ");
    return `${command}: npm took ${list} for itself: put the options after \`--\` (\`npm run -s ${own.script} -- …\`) or run \`npx ${own.bin} …\`\n`;
}
