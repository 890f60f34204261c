/**
 * `--format junit`: a test case per object the checker read and level (file, document, level:version), failed
 * with the API server's message for every Pod of it that would be refused, skipped (with the reason) when it
 * carries no Pod; bad input, a failed case of its own. One suite: the level and version checked.
 */

import { JunitCase, junitXml } from "../../lib/junit";
import { describePod } from "../evaluateManifest";
import { PodResult, Report, Skipped } from "./report";

/** No dot: Jenkins reads a class name's last dot as the package separator (a file name's extension would be). */
const CLASSNAME = "kuberay-pss";

/** `FILE#DOC Kind/name at level:version`: unique across files and across runs at other levels. */
function caseName(file: string, document: number | string, kind: string, name: string, level: string, version: string): string {
    return `${file}#${document} ${kind}/${name} at ${level}:${version}`;
}

export function junitReport(stdout: (text: string) => void, level: string, version: string): Report {
    const cases: JunitCase[] = [];
    const byObject = new Map<string, JunitCase>();
    return {
        result(r: PodResult) {
            const key = `${r.file}#${r.document}`;
            let testcase = byObject.get(key);
            if (!testcase) {
                testcase = { classname: CLASSNAME, name: caseName(r.file, r.document, r.kind, r.name, level, version), file: r.file, line: r.line };
                byObject.set(key, testcase);
                cases.push(testcase);
            }
            if (!r.allowed) {
                const message = `${describePod(r.kind, r.name, r.pod)}: ${r.message}`;
                testcase.failure = testcase.failure
                    ? { message: testcase.failure.message, text: `${testcase.failure.text}\n${message}` }
                    : { message: `violates PodSecurity "${level}:${version}"`, text: message };
            }
        },
        skipped(s: Skipped) {
            cases.push({ classname: CLASSNAME, name: caseName(s.file, s.document, s.kind || "?", s.name, level, version), file: s.file, line: s.line, skipped: s.reason });
        },
        finish() {
            stdout(junitXml({ name: `Pod Security ${level}:${version}`, cases }));
        },
        abort() {
            cases.length = 0;
        },
        // Bad input is a failed case too: an empty report would be no XML at all for the CI that reads it.
        fail(message: string) {
            cases.push({ classname: CLASSNAME, name: "input", failure: { message: "bad input", text: message } });
            stdout(junitXml({ name: `Pod Security ${level}:${version}`, cases }));
        },
    };
}
