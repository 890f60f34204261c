/**
 * The versions and names the shell scripts need, taken from the TypeScript that defines them, so that a script
 * never keeps a copy (nor reads one out of a source file with sed):
 *   tsx test/support/pins.ts NAME...   the values, one a line, in the order asked
 *   tsx test/support/pins.ts           every pin as NAME=value
 * Each is loaded only when asked for.
 */

const PINS: Record<string, () => Promise<string>> = {
    /** The Ray the program deploys: the node suite's Ray image and the example suite's environment. */
    RAY_VERSION: async () => (await import("../../model/ray")).DEFAULT_RAY_VERSION,
    /** What the program's example script pip-installs (read as the tests read it): the wheelhouse holds it. */
    XGBOOST_REQUIREMENT: async () => (await import("./requirements")).scriptXgboostRequirement(),
    /** The chart's operator image, as the harness and the tests expect it. */
    OPERATOR_IMAGE: async () => (await import("./pinned")).OPERATOR_IMAGE,
    /** containerd's sandbox image: the real node's and the kind node's. */
    SANDBOX_IMAGE: async () => (await import("./pinned")).SANDBOX_IMAGE,
    /** Where the harness serves the wheelhouse; the Ray image's pip.conf names it. */
    WHEELHOUSE_HOST: async () => (await import("./pinned")).NODE_IP,
    WHEELHOUSE_PORT: async () => String((await import("./pinned")).WHEELHOUSE_PORT),
};

export async function pins(names: string[]): Promise<string[]> {
    const unknown = names.filter((name) => !(name in PINS));
    if (unknown.length > 0) throw new Error(`no pin named ${unknown.join(", ")}; there are ${Object.keys(PINS).join(", ")}`);
    return Promise.all(names.map((name) => PINS[name]()));
}

if (require.main === module) {
    const names = process.argv.slice(2);
    pins(names.length > 0 ? names : Object.keys(PINS)).then(
        (values) => console.log(values.map((value, i) => (names.length > 0 ? value : `${Object.keys(PINS)[i]}=${value}`)).join("\n")),
        (error: Error) => {
            console.error(`pins: ${error.message}`);
            process.exitCode = 1;
        },
    );
}
