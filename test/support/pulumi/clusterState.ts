/** What the program left in a cluster, read through the Kubernetes API, to compare with the stack's state. */

import * as fs from "fs";
import * as k8s from "@kubernetes/client-node";

export { eventually } from "../eventually";

export interface ClusterClients {
    core: k8s.CoreV1Api;
    apps: k8s.AppsV1Api;
    rbac: k8s.RbacAuthorizationV1Api;
    apiext: k8s.ApiextensionsV1Api;
    custom: k8s.CustomObjectsApi;
}

export function clusterClients(kubeConfig: k8s.KubeConfig): ClusterClients {
    return {
        core: kubeConfig.makeApiClient(k8s.CoreV1Api),
        apps: kubeConfig.makeApiClient(k8s.AppsV1Api),
        rbac: kubeConfig.makeApiClient(k8s.RbacAuthorizationV1Api),
        apiext: kubeConfig.makeApiClient(k8s.ApiextensionsV1Api),
        custom: kubeConfig.makeApiClient(k8s.CustomObjectsApi),
    };
}

export async function rayClusters(api: ClusterClients, namespace: string): Promise<any[]> {
    try {
        const list = (await api.custom.listNamespacedCustomObject({ group: "ray.io", version: "v1", namespace, plural: "rayclusters" })) as { items: any[] };
        return list.items;
    } catch (error) {
        // No CRD (yet, or any more): no RayCluster either.
        if ((error as { code?: number }).code === 404) return [];
        throw error;
    }
}

export async function namespaceExists(api: ClusterClients, name: string): Promise<boolean> {
    return api.core.readNamespace({ name }).then(
        () => true,
        (error) => ((error as { code?: number }).code === 404 ? false : Promise.reject(error)),
    );
}

/** The objects the program owns in the cluster, counted by kind (what `pulumi up` may never duplicate). */
export async function programObjects(api: ClusterClients, namespace: string): Promise<Record<string, string[]>> {
    const names = (items: Array<{ metadata?: k8s.V1ObjectMeta }>) => items.map((item) => item.metadata!.name!).sort();
    const exists = await namespaceExists(api, namespace);
    return {
        Namespace: exists ? [namespace] : [],
        CustomResourceDefinition: names((await api.apiext.listCustomResourceDefinition()).items.filter((crd) => crd.spec.group === "ray.io")),
        ClusterRole: names((await api.rbac.listClusterRole()).items.filter(isKubeRay)),
        ClusterRoleBinding: names((await api.rbac.listClusterRoleBinding()).items.filter(isKubeRay)),
        ...(exists
            ? {
                  Deployment: names((await api.apps.listNamespacedDeployment({ namespace })).items),
                  ServiceAccount: names((await api.core.listNamespacedServiceAccount({ namespace })).items.filter(isKubeRay)),
                  Role: names((await api.rbac.listNamespacedRole({ namespace })).items),
                  RoleBinding: names((await api.rbac.listNamespacedRoleBinding({ namespace })).items),
                  ConfigMap: names((await api.core.listNamespacedConfigMap({ namespace })).items.filter((cm) => cm.metadata?.name !== "kube-root-ca.crt")),
                  RayCluster: (await rayClusters(api, namespace)).map((rc) => rc.metadata.name as string).sort(),
              }
            : {}),
    };
}

function isKubeRay(object: { metadata?: k8s.V1ObjectMeta }): boolean {
    const labels = object.metadata?.labels ?? {};
    return labels["app.kubernetes.io/name"] === "kuberay-operator" || labels["app.kubernetes.io/instance"]?.includes("kuberay") === true || object.metadata?.name?.startsWith("kuberay") === true;
}

/** The API server's audit events for Pod requests in a namespace. */
export function podAuditEvents(auditLogPath: string, namespace: string): any[] {
    if (!fs.existsSync(auditLogPath)) return [];
    return fs
        .readFileSync(auditLogPath, "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line))
        .filter((event) => event.stage === "ResponseComplete" && event.objectRef?.resource === "pods" && event.objectRef?.namespace === namespace && !event.objectRef?.subresource);
}
