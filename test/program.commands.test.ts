import { execFileSync } from "child_process";
import { describe, expect, it } from "vitest";
import { dashboardPortForwardCommand, kubectlConnection, rayPodsCommand } from "../program/commands";

/** The words a shell makes of a command line, as `eval "$(pulumi stack output …)"` would run it. */
function shellWords(command: string): string[] {
    return execFileSync("bash", ["-c", 'eval "set -- $1"; printf "%s\\0" "$@"', "_", command], { encoding: "utf8" }).split("\0").slice(0, -1);
}

describe("printed commands", () => {
    const kind = { kubeconfigPath: "", context: "kind-kuberay-dev", namespace: "pod-security" };
    const existing = { kubeconfigPath: "/home/me/my clusters/config", context: "team ml", namespace: "ray-restricted" };

    it("name only what is set: kind's context, or an existing cluster's file and context", () => {
        expect(kubectlConnection(kind)).toBe("--context kind-kuberay-dev ");
        expect(kubectlConnection({ kubeconfigPath: "", context: "" })).toBe("");
        expect(kubectlConnection(existing)).toBe("--kubeconfig '/home/me/my clusters/config' --context 'team ml' ");
    });

    it("carry the stack's namespace, kubeconfig and context, one shell word each", () => {
        expect(shellWords(rayPodsCommand(existing, "raycluster-restricted"))).toEqual([
            "kubectl", "--kubeconfig", "/home/me/my clusters/config", "--context", "team ml",
            "get", "pods", "-n", "ray-restricted", "-l", "ray.io/cluster=raycluster-restricted",
        ]);
        expect(shellWords(dashboardPortForwardCommand(kind, "raycluster-pod-security-head-svc"))).toEqual([
            "kubectl", "--context", "kind-kuberay-dev", "port-forward", "-n", "pod-security", "svc/raycluster-pod-security-head-svc", "8265:8265",
        ]);
    });
});
