/**
 * The warnings of a CLI run's Diagnostics sections (progress lines such as a Deployment's transient
 * "[MinimumReplicasUnavailable]" are not warnings the run ends with), except the suite's own tooling's:
 * plugins found on PATH (ambient, on purpose), and the kubernetes plugin built from 4.32.0 while the npm SDK
 * is 4.34.2 (see test/support/tools/build.sh).
 */
export function programWarnings(output: string): string[] {
    return output
        .split("\n")
        .filter((line) => /^\s+warning: /.test(line))
        .filter((line) => !/warning: using pulumi-[a-z-]+ from \$PATH at /.test(line))
        .filter((line) => !/warning: resource plugin kubernetes is expected to have version >=[\d.]+, but has 4\.32\.0/.test(line));
}
