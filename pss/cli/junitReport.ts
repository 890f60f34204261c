/**
 * `--format junit`: a test case per object the checker read (file and document), failed with the API
 * server's message for every Pod of it that would be refused, skipped (with the reason) when it carries no
 * Pod. One suite: the level and version checked.
 */

import { JunitCase, junitXml } from "../../lib/junit";
import { describePod } from "../evaluateManifest";
import { PodResult, Report, Skipped } from "./report";

export function junitReport(stdout: (text: string) => void, level: string, version: string): Report {
    const cases: JunitCase[] = [];
    const byObject = new Map<string, JunitCase>();
    return {
        result(r: PodResult) {
            const key = `${r.file}#${r.document}`;
            let testcase = byObject.get(key);
            if (!testcase) {
                testcase = { classname: r.file, name: `${r.kind}/${r.name} (document ${r.document})`, file: r.file, line: r.line };
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
            cases.push({ classname: s.file, name: `${s.kind || "?"}/${s.name} (document ${s.document})`, file: s.file, line: s.line, skipped: s.reason });
        },
        finish() {
            stdout(junitXml({ name: `Pod Security ${level}:${version}`, cases }));
        },
        abort() {
            cases.length = 0;
        },
    };
}
