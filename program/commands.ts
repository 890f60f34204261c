/**
 * The commands the stack prints for its user (`$(pulumi stack output …)`), built from the stack's own
 * kubeconfig, context and namespace, so that they reach the right cluster in both modes.
 */

import { shellQuote } from "../lib/shell";
import { HEAD_PORTS } from "../model/ray";

export interface CommandTarget {
    /** The kubeconfig file ("": kubectl's default). */
    kubeconfigPath: string;
    /** The context ("": the kubeconfig's current one). */
    context: string;
    namespace: string;
}

/** `--kubeconfig F --context C ` (each only when set, with a trailing space), quoted for a shell. */
export function kubectlConnection(target: Omit<CommandTarget, "namespace">): string {
    return [target.kubeconfigPath && `--kubeconfig ${shellQuote(target.kubeconfigPath)} `, target.context && `--context ${shellQuote(target.context)} `]
        .filter(Boolean)
        .join("");
}

/** Forwards the dashboard to http://127.0.0.1:8265, as the tutorial does. */
export function dashboardPortForwardCommand(target: CommandTarget, headServiceName: string): string {
    const port = HEAD_PORTS.dashboard;
    return `kubectl ${kubectlConnection(target)}port-forward -n ${shellQuote(target.namespace)} svc/${shellQuote(headServiceName)} ${port}:${port}`;
}

/** Lists the RayCluster's Pods (head and workers), as the tutorial's `kubectl get pods` does. */
export function rayPodsCommand(target: CommandTarget, rayClusterName: string): string {
    return `kubectl ${kubectlConnection(target)}get pods -n ${shellQuote(target.namespace)} -l ${shellQuote(`ray.io/cluster=${rayClusterName}`)}`;
}
