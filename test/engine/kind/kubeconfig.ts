/** The kubeconfig `kind get kubeconfig` prints: the harness's admin kubeconfig under kind's names. */

import { parse, stringify } from "yaml";

/**
 * Renames the one cluster, user and context of `adminKubeconfig` to `kind-<cluster>` (kind's convention, which
 * the program's `kubeContext` output relies on) and makes it the current context. Credentials and server
 * are kept as they are.
 */
export function kindKubeconfig(adminKubeconfig: string, clusterName: string): string {
    const config = parse(adminKubeconfig) as any;
    const clusters = config?.clusters ?? [];
    const users = config?.users ?? [];
    if (clusters.length !== 1 || users.length !== 1) {
        throw new Error(`expected a kubeconfig with one cluster and one user, got ${clusters.length} cluster(s) and ${users.length} user(s)`);
    }
    const name = `kind-${clusterName}`;
    return stringify({
        apiVersion: "v1",
        clusters: [{ cluster: clusters[0].cluster, name }],
        contexts: [{ context: { cluster: name, user: name }, name }],
        "current-context": name,
        kind: "Config",
        preferences: {},
        users: [{ name, user: users[0].user }],
    });
}
