/**
 * Prints the terminal output shown in docs/verify.md, made by the real checks and renderer on the
 * fake deployments: `npx tsx test/helpers/verifyReadmeExamples.ts`.
 */

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { runAuditCommand } from "../../verify/cli/auditCommand";
import { renderChecklist, reportOk } from "../../verify/report/checklist";
import { runVerify } from "../../verify/run/runVerify";
import { NAMESPACE, podList, refusedPodCreate, toLines } from "./verifyAuditEvents";
import { FakeDeployment, healthyDeployment, step51Deployment } from "./verifyFakes";

async function terminal(make: () => Promise<FakeDeployment>, command: string): Promise<string> {
    const deployment = await make();
    try {
        const report = await runVerify(deployment.target, { timeoutSeconds: 600 }, deployment.deps);
        return [`$ ${command}`, ...deployment.progress, "", renderChecklist(report).trimEnd(), "$ echo $?", reportOk(report) ? "0" : "1"].join("\n");
    } finally {
        await deployment.close();
    }
}

/** `verify audit` in a directory holding the API server's live log and a rotated, compressed one. */
async function auditExamples(): Promise<string[]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-readme-"));
    const rotated = toLines([
        refusedPodCreate("raycluster-complete-head-x7k2p", { time: "2025-06-02T09:12:41.102311Z" }),
        podList("raycluster-complete", { time: "2025-06-02T09:12:41.201530Z" }),
    ]);
    const live = toLines([refusedPodCreate("raycluster-complete-head-q4m8d", { time: "2025-06-02T09:12:41.388514Z" })]);
    fs.writeFileSync(path.join(dir, "kube-apiserver-audit-2025-06-02T09-12-41.300.log.gz"), zlib.gzipSync(rotated));
    fs.writeFileSync(path.join(dir, "kube-apiserver-audit.log"), live + '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"5f0c');
    // Run in the logs' folder, as the user would, so that the files are named as typed.
    const run = async (args: string[]) => {
        let out = "";
        const code = await runAuditCommand(args, { stdout: (t) => (out += t), stderr: (t) => (out += t), cwd: dir });
        return [`$ npx kuberay-verify audit ${args.join(" ")}`, out.trimEnd(), "$ echo $?", String(code)].join("\n");
    };
    try {
        const files = ["kube-apiserver-audit-2025-06-02T09-12-41.300.log.gz", "kube-apiserver-audit.log"];
        return [
            await run(["--namespace", NAMESPACE, "--json", ...files]),
            await run(["--namespace", "pod-secruity", ...files]),
        ];
    } finally {
        fs.rmSync(dir, { recursive: true });
    }
}

async function main(): Promise<void> {
    for (const block of [await terminal(healthyDeployment, "npx kuberay-verify"), await terminal(step51Deployment, "npx kuberay-verify --stack step51"), ...(await auditExamples())]) {
        process.stdout.write(`\`\`\`\n${block}\n\`\`\`\n\n`);
    }
}

if (require.main === module) void main();
