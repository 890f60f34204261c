/**
 * JUnit XML, the shape Jenkins, GitLab and GitHub's test-report actions read: one <testsuite> of
 * <testcase>s, each passed, failed (<failure message="…">text</failure>) or skipped. Written by
 * fast-xml-parser's builder, so every name and message is escaped as XML requires.
 */

import { XMLBuilder } from "fast-xml-parser";

export interface JunitCase {
    /** The group it belongs to (JUnit's class name): a file, a command. */
    classname: string;
    name: string;
    /** Seconds, when measured. */
    time?: number;
    file?: string;
    line?: number;
    failure?: { message: string; text: string };
    skipped?: string;
}

export interface JunitSuite {
    name: string;
    cases: JunitCase[];
    /** Seconds, when measured. */
    time?: number;
}

/** XML 1.0 cannot carry most control characters, even escaped: they become U+FFFD. */
const xmlText = (text: string) => text.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "\uFFFD");

export function junitXml(suite: JunitSuite): string {
    const failures = suite.cases.filter((c) => c.failure).length;
    const skipped = suite.cases.filter((c) => c.skipped !== undefined).length;
    const counts = { "@_tests": suite.cases.length, "@_failures": failures, "@_errors": 0, "@_skipped": skipped };
    const time = (seconds: number | undefined) => (seconds === undefined ? {} : { "@_time": seconds.toFixed(3) });
    const testcase = suite.cases.map((c) => ({
        "@_classname": xmlText(c.classname),
        "@_name": xmlText(c.name),
        ...time(c.time),
        ...(c.file !== undefined ? { "@_file": xmlText(c.file) } : {}),
        ...(c.line !== undefined ? { "@_line": c.line } : {}),
        ...(c.failure ? { failure: { "@_message": xmlText(c.failure.message), "@_type": "failure", "#text": xmlText(c.failure.text) } } : {}),
        ...(c.skipped !== undefined ? { skipped: { "@_message": xmlText(c.skipped) } } : {}),
    }));
    const document = {
        "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" },
        testsuites: { "@_name": xmlText(suite.name), ...counts, ...time(suite.time), testsuite: { "@_name": xmlText(suite.name), ...counts, ...time(suite.time), testcase } },
    };
    const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", format: true, suppressEmptyNode: true, processEntities: true });
    return builder.build(document) as string;
}
