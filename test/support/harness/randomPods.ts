/**
 * Random Pods built from the fields Pod Security checks read, valid for the API server's own validation,
 * from a seeded generator so a failure can be replayed.
 */

export function mulberry32(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

type Random = () => number;
const pick = <T>(random: Random, values: readonly T[]): T => values[Math.floor(random() * values.length)];
const maybe = <T>(random: Random, p: number, value: () => T): T | undefined => (random() < p ? value() : undefined);

const CAPABILITIES = ["ALL", "NET_BIND_SERVICE", "CHOWN", "NET_RAW", "SYS_ADMIN", "KILL", "SETUID", "AUDIT_WRITE"];
const SYSCTLS = ["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem", "kernel.msgmax", "net.core.somaxconn"];

function seccomp(random: Random) {
    const type = pick(random, ["RuntimeDefault", "Localhost", "Unconfined"]);
    return type === "Localhost" ? { type, localhostProfile: "profiles/audit.json" } : { type };
}

function appArmor(random: Random) {
    const type = pick(random, ["RuntimeDefault", "Localhost", "Unconfined"]);
    return type === "Localhost" ? { type, localhostProfile: "k8s-apparmor-example" } : { type };
}

function containerSecurityContext(random: Random, hostUsersFalse: boolean) {
    const context: Record<string, unknown> = {};
    const set = (key: string, p: number, value: () => unknown) => {
        const v = maybe(random, p, value);
        if (v !== undefined) context[key] = v;
    };
    set("allowPrivilegeEscalation", 0.6, () => random() < 0.7 ? false : true);
    set("privileged", 0.15, () => random() < 0.5);
    if (context.privileged === true) context.allowPrivilegeEscalation = true;
    set("capabilities", 0.6, () => ({
        ...(random() < 0.7 ? { drop: [pick(random, ["ALL", "ALL", "NET_RAW", "CHOWN"])] } : {}),
        ...(random() < 0.4 ? { add: [pick(random, CAPABILITIES.slice(1))] } : {}),
    }));
    set("runAsNonRoot", 0.5, () => random() < 0.75);
    set("runAsUser", 0.35, () => pick(random, [0, 1000, 65532]));
    set("seccompProfile", 0.5, () => seccomp(random));
    set("appArmorProfile", 0.15, () => appArmor(random));
    set("seLinuxOptions", 0.15, () => ({ ...(random() < 0.7 ? { type: pick(random, ["container_t", "container_init_t", "container_kvm_t", "spc_t", "container_engine_t"]) } : {}), ...(random() < 0.2 ? { user: "system_u" } : {}), ...(random() < 0.2 ? { role: "system_r" } : {}), ...(random() < 0.3 ? { level: "s0:c123,c456" } : {}) }));
    // Unmasked requires hostUsers: false to pass validation.
    set("procMount", 0.15, () => (hostUsersFalse ? pick(random, ["Default", "Unmasked"]) : "Default"));
    if (context.privileged === true && context.capabilities) {
        // valid either way; keep as is
    }
    return context;
}

function container(random: Random, name: string, index: number, hostNetwork: boolean, hostUsersFalse: boolean, init: boolean) {
    // Distinct per container: host ports must not repeat within a Pod.
    const port = pick(random, [8080, 9090, 6379]) + 10 * index;
    const c: Record<string, unknown> = { name, image: "registry.k8s.io/pause" };
    const securityContext = containerSecurityContext(random, hostUsersFalse);
    if (Object.keys(securityContext).length > 0) c.securityContext = securityContext;
    if (random() < 0.3) c.ports = [{ containerPort: port, ...(hostNetwork ? { hostPort: port } : random() < 0.5 ? { hostPort: port + 1 } : {}) }];
    else if (hostNetwork && random() < 0.3) c.ports = [{ containerPort: port }];
    // Probes and lifecycle hooks are only valid on regular (or restartable init) containers.
    if (init) return c;
    if (random() < 0.15) c.readinessProbe = { httpGet: { port, path: "/", ...(random() < 0.5 ? { host: pick(random, ["127.0.0.1", "example.com", ""]) } : {}) } };
    if (random() < 0.1) c.lifecycle = { preStop: { tcpSocket: { port, ...(random() < 0.5 ? { host: "10.0.0.1" } : {}) } } };
    return c;
}

export function randomPod(random: Random, index: number): Record<string, any> {
    const hostNetwork = random() < 0.15;
    const hostUsersFalse = !hostNetwork && random() < 0.2;
    const spec: Record<string, any> = {
        containers: Array.from({ length: 1 + Math.floor(random() * 2) }, (_, i) => container(random, `c${i}`, i, hostNetwork, hostUsersFalse, false)),
    };
    if (random() < 0.25) spec.initContainers = [container(random, "init", 5, hostNetwork, hostUsersFalse, true)];
    if (hostNetwork) spec.hostNetwork = true;
    // A user namespace cannot share the host's PID or IPC namespace.
    if (!hostUsersFalse && random() < 0.1) spec.hostPID = true;
    const hostIPC = !hostUsersFalse && random() < 0.1;
    if (hostIPC) spec.hostIPC = true;
    if (hostUsersFalse) spec.hostUsers = false;
    const podContext: Record<string, unknown> = {};
    if (random() < 0.4) podContext.runAsNonRoot = random() < 0.8;
    if (random() < 0.2) podContext.runAsUser = pick(random, [0, 1000]);
    if (random() < 0.4) podContext.seccompProfile = seccomp(random);
    if (random() < 0.1) podContext.appArmorProfile = appArmor(random);
    // Namespaced net.* sysctls cannot be set in the host's network namespace.
    // Namespaced sysctls cannot be set in a namespace shared with the host (net.* with hostNetwork, kernel.* IPC ones with hostIPC).
    const sysctls = SYSCTLS.filter((name) => !(hostNetwork && name.startsWith("net.")) && !(hostIPC && name.startsWith("kernel.")));
    if (sysctls.length > 0 && random() < 0.15) podContext.sysctls = [{ name: pick(random, sysctls), value: "1" }];
    if (random() < 0.1) podContext.seLinuxOptions = { type: pick(random, ["container_t", "spc_t"]) };
    if (Object.keys(podContext).length > 0) spec.securityContext = podContext;
    if (random() < 0.35) {
        spec.volumes = [pick(random, [
            { name: "v", emptyDir: {} },
            { name: "v", configMap: { name: "cm" } },
            { name: "v", hostPath: { path: "/var/log" } },
            { name: "v", nfs: { server: "nfs.example.com", path: "/x" } },
            { name: "v", persistentVolumeClaim: { claimName: "pvc" } },
            { name: "v", downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] } },
            { name: "v", iscsi: { targetPortal: "10.0.0.1:3260", iqn: "iqn.2001-04.com.example:storage", lun: 0 } },
        ])];
    }
    return { apiVersion: "v1", kind: "Pod", metadata: { name: `random-${index}` }, spec };
}
