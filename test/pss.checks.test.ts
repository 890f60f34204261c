/**
 * The expectations of k8s.io/pod-security-admission@v0.37.2 policy/*_test.go, ported case by case (Go pod
 * literals become plain objects, ptr.To(x) becomes x), plus the public API: violationMessage, versions,
 * errors, and the API server behaviour checkPod adds (defaulting, clamping).
 */

import { describe, expect, it } from "vitest";
import {
    CHECKS,
    LATEST_MINOR,
    LEVELS,
    checkIdsFor,
    checkPod,
    isLevel,
    isVersion,
    violationMessage,
    type Level,
    type PodLike,
} from "../pss";
import { majorMinorVersion, parseVersion, LATEST_VERSION } from "../model/podSecurity";
import type { Check, CheckPodFn, CheckResult } from "../pss/core/check";
import { DEFAULT_CHECKS } from "../pss/checks";
import { allowPrivilegeEscalation_1_25, allowPrivilegeEscalation_1_8 } from "../pss/checks/allowPrivilegeEscalation";
import { appArmorProfile_1_0 } from "../pss/checks/appArmorProfile";
import { capabilitiesBaseline_1_0 } from "../pss/checks/capabilities_baseline";
import { capabilitiesRestricted_1_22, capabilitiesRestricted_1_25 } from "../pss/checks/capabilities_restricted";
import { hostNamespaces_1_0 } from "../pss/checks/hostNamespaces";
import { hostPathVolumes_1_0 } from "../pss/checks/hostPathVolumes";
import { hostPorts_1_0 } from "../pss/checks/hostPorts";
import { hostProbesAndHostLifecycleV1Dot34 } from "../pss/checks/hostProbesAndHostLifecycle";
import { privileged_1_0 } from "../pss/checks/privileged";
import { procMount1_35baseline, procMount_1_0 } from "../pss/checks/procMount";
import { restrictedVolumes_1_0 } from "../pss/checks/restrictedVolumes";
import { runAsNonRoot1_35 } from "../pss/checks/runAsNonRoot";
import { runAsUser1_35 } from "../pss/checks/runAsUser";
import { seLinuxOptions1_31 } from "../pss/checks/seLinuxOptions";
import { seccompProfileBaseline_1_0, seccompProfileBaseline_1_19 } from "../pss/checks/seccompProfile_baseline";
import { seccompProfileRestricted_1_19, seccompProfileRestricted_1_25 } from "../pss/checks/seccompProfile_restricted";
import { sysctlsV1Dot0, sysctlsV1Dot27, sysctlsV1Dot29, sysctlsV1Dot32, sysctlsV1Dot37 } from "../pss/checks/sysctls";
import { windowsHostProcess_1_0 } from "../pss/checks/windowsHostProcess";
import { compareGoStrings, goQuote } from "../pss/core/goFormat";
import { newEvaluator, validateChecks } from "../pss/registry";
import { podView } from "../pss/core/visitor";

interface Case {
    name: string;
    pod: PodLike;
    expectReason?: string;
    expectDetail?: string;
    allowed?: boolean;
}

/** Runs one upstream check function on the pod as given, like upstream's unit tests do. */
function run(fn: CheckPodFn, pod: PodLike): CheckResult {
    return fn(podView(pod));
}

function table(title: string, fn: CheckPodFn, cases: Case[]): void {
    describe(title, () => {
        it.each(cases)("$name", (tc) => {
            const result = run(fn, tc.pod);
            if (tc.allowed === true) expect(result).toBeUndefined();
            else expect(result).toEqual({ reason: tc.expectReason, detail: tc.expectDetail });
        });
    });
}

const containers = (...list: object[]): PodLike => ({ spec: { containers: list } });

// check_allowPrivilegeEscalation_test.go
const allowPrivilegeEscalationMultiple: Case = {
    name: "multiple containers",
    pod: containers(
        { name: "a" },
        { name: "b", securityContext: { allowPrivilegeEscalation: null } },
        { name: "c", securityContext: { allowPrivilegeEscalation: true } },
        { name: "d", securityContext: { allowPrivilegeEscalation: false } },
    ),
    expectReason: "allowPrivilegeEscalation != false",
    expectDetail: 'containers "a", "b", "c" must set securityContext.allowPrivilegeEscalation=false',
};
table("allowPrivilegeEscalation_1_25", allowPrivilegeEscalation_1_25, [
    allowPrivilegeEscalationMultiple,
    {
        name: "windows pod, admit without checking privilegeEscalation",
        pod: { spec: { os: { name: "windows" }, containers: [{ name: "a" }] } },
        allowed: true,
    },
    {
        name: "linux pod, reject if security context is not set",
        pod: { spec: { os: { name: "linux" }, containers: [{ name: "a" }] } },
        expectReason: "allowPrivilegeEscalation != false",
        expectDetail: 'container "a" must set securityContext.allowPrivilegeEscalation=false',
    },
]);
table("allowPrivilegeEscalation_1_8", allowPrivilegeEscalation_1_8, [allowPrivilegeEscalationMultiple]);

// check_appArmorProfile_test.go
const APPARMOR = "container.apparmor.security.beta.kubernetes.io/";
table("appArmorProfile_1_0 allowed", appArmorProfile_1_0, [
    {
        name: "container with default AppArmor + extra annotations",
        pod: { metadata: { annotations: { [`${APPARMOR}test`]: "runtime/default", env: "prod" } }, spec: {} },
        allowed: true,
    },
    {
        name: "container with local AppArmor + extra annotations",
        pod: { metadata: { annotations: { [`${APPARMOR}test`]: "localhost/sec-profile01", env: "dev" } }, spec: {} },
        allowed: true,
    },
    { name: "container with no AppArmor annotations", pod: { metadata: { annotations: { env: "dev" } }, spec: {} }, allowed: true },
    { name: "container with no annotations", pod: { metadata: {}, spec: {} }, allowed: true },
    {
        name: "pod with runtime default",
        pod: { spec: { securityContext: { appArmorProfile: { type: "RuntimeDefault" } } } },
        allowed: true,
    },
    {
        name: "container with localhost profile",
        pod: containers({ name: "foo", securityContext: { appArmorProfile: { type: "RuntimeDefault" } } }),
        allowed: true,
    },
]);
table("appArmorProfile_1_0 forbidden", appArmorProfile_1_0, [
    {
        name: "unconfined pod",
        pod: { spec: { securityContext: { appArmorProfile: { type: "Unconfined" } } } },
        expectReason: "forbidden AppArmor profile",
        expectDetail: 'pod must not set AppArmor profile type to "Unconfined"',
    },
    {
        name: "unconfined container",
        pod: {
            spec: {
                securityContext: { appArmorProfile: { type: "RuntimeDefault" } },
                containers: [{ name: "foo", securityContext: { appArmorProfile: { type: "Unconfined" } } }],
            },
        },
        expectReason: "forbidden AppArmor profile",
        expectDetail: 'container "foo" must not set AppArmor profile type to "Unconfined"',
    },
    {
        name: "unconfined init container",
        pod: {
            spec: {
                securityContext: { appArmorProfile: { type: "RuntimeDefault" } },
                containers: [{ name: "foo" }],
                initContainers: [{ name: "bar", securityContext: { appArmorProfile: { type: "Unconfined" } } }],
            },
        },
        expectReason: "forbidden AppArmor profile",
        expectDetail: 'container "bar" must not set AppArmor profile type to "Unconfined"',
    },
    {
        name: "multiple containers",
        pod: {
            metadata: {
                annotations: {
                    [APPARMOR]: "bogus",
                    [`${APPARMOR}a`]: "",
                    [`${APPARMOR}b`]: "runtime/default",
                    [`${APPARMOR}c`]: "localhost/",
                    [`${APPARMOR}d`]: "localhost/foo",
                    [`${APPARMOR}e`]: "unconfined",
                    [`${APPARMOR}f`]: "unknown",
                },
            },
        },
        expectReason: "forbidden AppArmor profiles",
        expectDetail:
            "annotations must not set AppArmor profile type to " +
            [
                `"container.apparmor.security.beta.kubernetes.io/="bogus""`,
                `"container.apparmor.security.beta.kubernetes.io/e="unconfined""`,
                `"container.apparmor.security.beta.kubernetes.io/f="unknown""`,
            ].join(", "),
    },
]);

// check_capabilities_baseline_test.go
table("capabilitiesBaseline_1_0", capabilitiesBaseline_1_0, [
    {
        name: "multiple containers",
        pod: containers(
            { name: "a", securityContext: { capabilities: { add: ["FOO", "BAR"] } } },
            { name: "b", securityContext: { capabilities: { add: ["BAR", "BAZ"] } } },
        ),
        expectReason: "non-default capabilities",
        expectDetail: 'containers "a", "b" must not include "BAR", "BAZ", "FOO" in securityContext.capabilities.add',
    },
]);

// check_capabilities_restricted_test.go
const capabilitiesRestrictedMultiple: Case = {
    name: "multiple containers",
    pod: containers(
        { name: "a", securityContext: { capabilities: { add: ["FOO", "BAR"] } } },
        { name: "b", securityContext: { capabilities: { add: ["BAR", "BAZ"] } } },
        { name: "c", securityContext: { capabilities: { add: ["NET_BIND_SERVICE", "CHOWN"], drop: ["ALL", "FOO"] } } },
    ),
    expectReason: "unrestricted capabilities",
    expectDetail:
        'containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; ' +
        'containers "a", "b", "c" must not include "BAR", "BAZ", "CHOWN", "FOO" in securityContext.capabilities.add',
};
table("capabilitiesRestricted_1_25", capabilitiesRestricted_1_25, [
    capabilitiesRestrictedMultiple,
    {
        name: "windows pod, admit without checking capabilities",
        pod: { spec: { os: { name: "windows" }, containers: [{ name: "a" }] } },
        allowed: true,
    },
    {
        name: "linux pod, reject if security context is not set",
        pod: { spec: { os: { name: "linux" }, containers: [{ name: "a" }] } },
        expectReason: "unrestricted capabilities",
        expectDetail: 'container "a" must set securityContext.capabilities.drop=["ALL"]',
    },
]);
table("capabilitiesRestricted_1_22", capabilitiesRestricted_1_22, [capabilitiesRestrictedMultiple]);

// check_hostNamespaces_test.go
table("hostNamespaces_1_0", hostNamespaces_1_0, [
    {
        name: "multiple host namespaces",
        pod: { spec: { hostNetwork: true, hostIPC: true, hostPID: true } },
        expectReason: "host namespaces",
        expectDetail: "hostNetwork=true, hostPID=true, hostIPC=true",
    },
]);

// check_hostPathVolumes_test.go
table("hostPathVolumes_1_0", hostPathVolumes_1_0, [
    {
        name: "host path volumes",
        pod: {
            spec: {
                volumes: [
                    { name: "a", hostPath: {} },
                    { name: "b", hostPath: {} },
                    { name: "c", emptyDir: {} },
                ],
            },
        },
        expectReason: "hostPath volumes",
        expectDetail: 'volumes "a", "b"',
    },
]);

// check_hostPorts_test.go
table("hostPorts_1_0", hostPorts_1_0, [
    {
        name: "one container, one host port",
        pod: containers({ name: "a", ports: [{ hostPort: 0 }] }, { name: "b", ports: [{ hostPort: 0 }, { hostPort: 20 }] }),
        expectReason: "hostPort",
        expectDetail: 'container "b" uses hostPort 20',
    },
    {
        name: "multiple containers, multiple host port",
        pod: containers(
            { name: "a", ports: [{ hostPort: 0 }] },
            { name: "b", ports: [{ hostPort: 0 }, { hostPort: 10 }, { hostPort: 20 }] },
            { name: "c", ports: [{ hostPort: 0 }, { hostPort: 10 }, { hostPort: 30 }] },
        ),
        expectReason: "hostPort",
        expectDetail: 'containers "b", "c" use hostPorts 10, 20, 30',
    },
]);

// check_hostProbesAndhostLifecycle_test.go
const probeHost = (name: string, host: string, expectDetail = `container "${name}" uses probe or lifecycle host "${host}"`) => ({
    expectReason: "probe or lifecycle host",
    expectDetail,
});
table("hostProbesAndHostLifecycleV1Dot34", hostProbesAndHostLifecycleV1Dot34, [
    {
        name: "valid pod with unset hosts",
        pod: containers({
            name: "a",
            livenessProbe: { httpGet: {} },
            readinessProbe: { tcpSocket: {} },
            lifecycle: { postStart: { httpGet: {} } },
        }),
        allowed: true,
    },
    {
        name: "invalid pod with local host IP as probe host",
        pod: containers({
            name: "a",
            livenessProbe: { httpGet: { host: "127.0.0.1" } },
            readinessProbe: { tcpSocket: { host: "::1" } },
            startupProbe: { httpGet: { host: "localhost" } },
        }),
        ...probeHost("a", "", 'container "a" uses probe or lifecycle hosts "127.0.0.1", "::1", "localhost"'),
    },
    {
        name: "invalid httpget host in liveness probe",
        pod: containers({ name: "a", livenessProbe: { httpGet: { host: "invalid.host" } } }),
        ...probeHost("a", "invalid.host"),
    },
    {
        name: "invalid tcpsocket host in readiness probe",
        pod: containers({ name: "b", readinessProbe: { tcpSocket: { host: "invalid.host" } } }),
        ...probeHost("b", "invalid.host"),
    },
    {
        name: "invalid httpget host in startup probe",
        pod: containers({ name: "c", startupProbe: { httpGet: { host: "invalid.host" } } }),
        ...probeHost("c", "invalid.host"),
    },
    {
        name: "invalid poststart tcpsocket host",
        pod: containers({ name: "d", lifecycle: { postStart: { tcpSocket: { host: "invalid.host" } } } }),
        ...probeHost("d", "invalid.host"),
    },
    {
        name: "invalid prestop httpget host",
        pod: containers({ name: "e", lifecycle: { preStop: { httpGet: { host: "another.invalid.host" } } } }),
        ...probeHost("e", "another.invalid.host"),
    },
    {
        name: "multiple containers with multiple invalid hosts",
        pod: containers(
            { name: "valid" },
            { name: "invalid1", livenessProbe: { httpGet: { host: "a.com" } } },
            {
                name: "invalid2",
                lifecycle: { preStop: { tcpSocket: { host: "b.com" } } },
                startupProbe: { httpGet: { host: "a.com" } },
            },
        ),
        ...probeHost("", "", 'containers "invalid1", "invalid2" use probe or lifecycle hosts "a.com", "b.com"'),
    },
    {
        name: "invalid ipv4 host in probe",
        pod: containers({ name: "a", livenessProbe: { httpGet: { host: "8.8.8.8" } } }),
        ...probeHost("a", "8.8.8.8"),
    },
    {
        name: "invalid ipv6 host in probe",
        pod: containers({ name: "a", livenessProbe: { tcpSocket: { host: "2001:4860:4860::8888" } } }),
        ...probeHost("a", "2001:4860:4860::8888"),
    },
    {
        name: "invalid host in initcontainer",
        pod: { spec: { initContainers: [{ name: "init", livenessProbe: { httpGet: { host: "invalid.init.host" } } }] } },
        ...probeHost("init", "invalid.init.host"),
    },
]);

describe("TestHostProbesAndHostLifecycleEmulation", () => {
    const pod = podView({ spec: { containers: [{ startupProbe: { httpGet: { host: "localhost" } } }] } });
    const allowedAt = (registry: ReturnType<typeof newEvaluator>, version: ReturnType<typeof majorMinorVersion>) =>
        registry.checksFor("baseline", version).every((c) => c.checkPod(pod) === undefined);
    it.each([
        { name: "no emulation", emulateVersion: undefined, hostCheckActive: true },
        { name: "emulate 1.34", emulateVersion: majorMinorVersion(1, 34), hostCheckActive: true },
        { name: "emulate 1.33", emulateVersion: majorMinorVersion(1, 33), hostCheckActive: false },
    ])("$name", ({ emulateVersion, hostCheckActive }) => {
        const registry = newEvaluator(DEFAULT_CHECKS, emulateVersion);
        expect(allowedAt(registry, LATEST_VERSION)).toBe(!hostCheckActive);
        expect(allowedAt(registry, majorMinorVersion(1, 34))).toBe(!hostCheckActive);
        expect(allowedAt(registry, majorMinorVersion(1, 33))).toBe(true);
    });
});

// check_privileged_test.go
table("privileged_1_0", privileged_1_0, [
    {
        name: "privileged",
        pod: containers(
            { name: "a", securityContext: null },
            { name: "b", securityContext: {} },
            { name: "c", securityContext: { privileged: false } },
            { name: "d", securityContext: { privileged: true } },
            { name: "e", securityContext: { privileged: true } },
        ),
        expectReason: "privileged",
        expectDetail: 'containers "d", "e" must not set securityContext.privileged=true',
    },
]);

// check_procMount_baseline_test.go and check_procMount_restricted_test.go
const procMountContainers = [
    { name: "a", securityContext: null },
    { name: "b", securityContext: {} },
    { name: "c", securityContext: { procMount: "Default" } },
    { name: "d", securityContext: { procMount: "Unmasked" } },
    { name: "e", securityContext: { procMount: "other" } },
];
const procMountRefused = {
    expectReason: "procMount",
    expectDetail: 'containers "d", "e" must not set securityContext.procMount to "Unmasked", "other"',
};
table("procMount1_35baseline", procMount1_35baseline, [
    { name: "procMount", pod: { spec: { containers: procMountContainers, hostUsers: true } }, ...procMountRefused },
    { name: "procMount with userns", pod: { spec: { containers: procMountContainers, hostUsers: false } }, allowed: true },
]);
table(
    "procMount_1_0 (procMount_restricted)",
    procMount_1_0,
    [true, false].map((hostUsers) => ({
        name: `procMount, hostUsers=${hostUsers}`,
        pod: { spec: { containers: procMountContainers, hostUsers } },
        ...procMountRefused,
    })),
);

// check_restrictedVolumes_test.go
table("restrictedVolumes_1_0", restrictedVolumes_1_0, [
    {
        name: "host path volumes",
        pod: {
            spec: {
                volumes: [
                    // allowed types
                    ...["emptyDir", "secret", "persistentVolumeClaim", "downwardAPI", "configMap", "projected", "csi", "ephemeral", "image"].map(
                        (source, i) => ({ name: `a${i + 1}`, [source]: {} }),
                    ),
                    // known restricted types
                    ...[
                        "hostPath",
                        "gcePersistentDisk",
                        "awsElasticBlockStore",
                        "gitRepo",
                        "nfs",
                        "iscsi",
                        "glusterfs",
                        "rbd",
                        "flexVolume",
                        "cinder",
                        "cephfs",
                        "flocker",
                        "fc",
                        "azureFile",
                        "vsphereVolume",
                        "quobyte",
                        "azureDisk",
                        "photonPersistentDisk",
                        "portworxVolume",
                        "scaleIO",
                        "storageos",
                    ].map((source, i) => ({ name: `b${i + 1}`, [source]: {} })),
                    // unknown type
                    { name: "c1" },
                ],
            },
        },
        expectReason: "restricted volume types",
        expectDetail:
            "volumes " +
            '"b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "b10", "b11", "b12", "b13", "b14", "b15", "b16", "b17", "b18", "b19", "b20", "b21", "c1"' +
            " use restricted volume types " +
            '"awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "fc", "flexVolume", "flocker", "gcePersistentDisk", "gitRepo", "glusterfs", ' +
            '"hostPath", "iscsi", "nfs", "photonPersistentDisk", "portworxVolume", "quobyte", "rbd", "scaleIO", "storageos", "unknown", "vsphereVolume"',
    },
]);

// check_runAsNonRoot_test.go
table("runAsNonRoot1_35", runAsNonRoot1_35, [
    {
        name: "no explicit runAsNonRoot",
        pod: containers({ name: "a" }),
        expectReason: "runAsNonRoot != true",
        expectDetail: 'pod or container "a" must set securityContext.runAsNonRoot=true',
    },
    {
        name: "pod runAsNonRoot=false",
        pod: { spec: { securityContext: { runAsNonRoot: false }, containers: [{ name: "a", securityContext: null }] } },
        expectReason: "runAsNonRoot != true",
        expectDetail: "pod must not set securityContext.runAsNonRoot=false",
    },
    {
        name: "containers runAsNonRoot=false",
        pod: {
            spec: {
                securityContext: { runAsNonRoot: true },
                containers: [
                    { name: "a", securityContext: null },
                    { name: "b", securityContext: {} },
                    { name: "c", securityContext: { runAsNonRoot: false } },
                    { name: "d", securityContext: { runAsNonRoot: false } },
                    { name: "e", securityContext: { runAsNonRoot: true } },
                    { name: "f", securityContext: { runAsNonRoot: true } },
                ],
            },
        },
        expectReason: "runAsNonRoot != true",
        expectDetail: 'containers "c", "d" must not set securityContext.runAsNonRoot=false',
    },
    {
        name: "pod nil, container fallthrough",
        pod: containers(
            { name: "a", securityContext: null },
            { name: "b", securityContext: {} },
            { name: "d", securityContext: { runAsNonRoot: true } },
            { name: "e", securityContext: { runAsNonRoot: true } },
        ),
        expectReason: "runAsNonRoot != true",
        expectDetail: 'pod or containers "a", "b" must set securityContext.runAsNonRoot=true',
    },
    { name: "host users false allowed", pod: { spec: { hostUsers: false } }, allowed: true },
]);

// check_runAsUser_test.go
table("runAsUser1_35", runAsUser1_35, [
    {
        name: "pod runAsUser=0",
        pod: { spec: { securityContext: { runAsUser: 0 }, containers: [{ name: "a", securityContext: null }] } },
        expectReason: "runAsUser=0",
        expectDetail: "pod must not set runAsUser=0",
    },
    {
        name: "pod runAsUser=non-zero",
        pod: { spec: { securityContext: { runAsUser: 1000 }, containers: [{ name: "a", securityContext: null }] } },
        allowed: true,
    },
    {
        name: "pod runAsUser=nil",
        pod: { spec: { securityContext: { runAsUser: null }, containers: [{ name: "a", securityContext: null }] } },
        allowed: true,
    },
    {
        name: "containers runAsUser=0",
        pod: {
            spec: {
                securityContext: { runAsUser: 1000 },
                containers: [
                    { name: "a", securityContext: null },
                    { name: "b", securityContext: {} },
                    { name: "c", securityContext: { runAsUser: 0 } },
                    { name: "d", securityContext: { runAsUser: 0 } },
                    { name: "e", securityContext: { runAsUser: 1 } },
                    { name: "f", securityContext: { runAsUser: 1 } },
                ],
            },
        },
        expectReason: "runAsUser=0",
        expectDetail: 'containers "c", "d" must not set runAsUser=0',
    },
    {
        name: "containers runAsUser=non-zero",
        pod: containers(
            { name: "c", securityContext: { runAsUser: 1 } },
            { name: "d", securityContext: { runAsUser: 2 } },
            { name: "e", securityContext: { runAsUser: 3 } },
            { name: "f", securityContext: { runAsUser: 4 } },
        ),
        allowed: true,
    },
    { name: "host users false allowed", pod: { spec: { hostUsers: false } }, allowed: true },
]);

// check_seLinuxOptions_test.go
const seLinuxAllowedContainers = [
    { name: "a", securityContext: { seLinuxOptions: { type: "container_t" } } },
    { name: "b", securityContext: { seLinuxOptions: { type: "container_init_t" } } },
    { name: "c", securityContext: { seLinuxOptions: { type: "container_kvm_t" } } },
    { name: "d", securityContext: { seLinuxOptions: { type: "container_engine_t" } } },
];
const seLinuxBadContainers = [
    { name: "e", securityContext: { seLinuxOptions: { type: "bar" } } },
    { name: "f", securityContext: { seLinuxOptions: { user: "bar" } } },
    { name: "g", securityContext: { seLinuxOptions: { role: "baz" } } },
];
const badPodSELinux = { seLinuxOptions: { type: "foo", user: "bar", role: "baz" } };
table("seLinuxOptions1_31", seLinuxOptions1_31, [
    {
        name: "invalid pod and containers",
        pod: { spec: { securityContext: badPodSELinux, containers: [...seLinuxAllowedContainers, ...seLinuxBadContainers] } },
        expectReason: "seLinuxOptions",
        expectDetail:
            'pod and containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set',
    },
    {
        name: "invalid pod",
        pod: { spec: { securityContext: badPodSELinux, containers: seLinuxAllowedContainers } },
        expectReason: "seLinuxOptions",
        expectDetail: 'pod set forbidden securityContext.seLinuxOptions: type "foo"; user may not be set; role may not be set',
    },
    {
        name: "invalid containers",
        pod: {
            spec: { securityContext: { seLinuxOptions: {} }, containers: [...seLinuxAllowedContainers, ...seLinuxBadContainers] },
        },
        expectReason: "seLinuxOptions",
        expectDetail: 'containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: type "bar"; user may not be set; role may not be set',
    },
    {
        name: "bad type",
        pod: { spec: { securityContext: { seLinuxOptions: { type: "bad" } } } },
        expectReason: "seLinuxOptions",
        expectDetail: 'pod set forbidden securityContext.seLinuxOptions: type "bad"',
    },
    {
        name: "bad user",
        pod: { spec: { securityContext: { seLinuxOptions: { user: "bad" } } } },
        expectReason: "seLinuxOptions",
        expectDetail: "pod set forbidden securityContext.seLinuxOptions: user may not be set",
    },
    {
        name: "bad role",
        pod: { spec: { securityContext: { seLinuxOptions: { role: "bad" } } } },
        expectReason: "seLinuxOptions",
        expectDetail: "pod set forbidden securityContext.seLinuxOptions: role may not be set",
    },
]);

// check_seccompProfile_baseline_test.go
table("seccompProfileBaseline_1_0", seccompProfileBaseline_1_0, [
    {
        name: "pod seccomp invalid",
        pod: { metadata: { annotations: { "seccomp.security.alpha.kubernetes.io/pod": "unconfined" } } },
        expectReason: "seccompProfile",
        expectDetail: 'forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined"',
    },
    {
        name: "containers seccomp invalid",
        pod: {
            metadata: {
                annotations: {
                    "container.seccomp.security.alpha.kubernetes.io/a": "unconfined",
                    "container.seccomp.security.alpha.kubernetes.io/b": "unknown",
                },
            },
            spec: { containers: [{ name: "a" }, { name: "b" }, { name: "c" }] },
        },
        expectReason: "seccompProfile",
        expectDetail:
            'forbidden annotations container.seccomp.security.alpha.kubernetes.io/a="unconfined", container.seccomp.security.alpha.kubernetes.io/b="unknown"',
    },
    {
        name: "pod and containers seccomp invalid",
        pod: {
            metadata: {
                annotations: {
                    "seccomp.security.alpha.kubernetes.io/pod": "unconfined",
                    "container.seccomp.security.alpha.kubernetes.io/a": "unconfined",
                    "container.seccomp.security.alpha.kubernetes.io/b": "unknown",
                },
            },
            spec: { containers: [{ name: "a" }, { name: "b" }, { name: "c" }] },
        },
        expectReason: "seccompProfile",
        expectDetail:
            'forbidden annotations container.seccomp.security.alpha.kubernetes.io/a="unconfined", container.seccomp.security.alpha.kubernetes.io/b="unknown", seccomp.security.alpha.kubernetes.io/pod="unconfined"',
    },
]);

const seccompContainers = [
    { name: "a", securityContext: null },
    { name: "b", securityContext: {} },
    { name: "c", securityContext: { seccompProfile: { type: "Unconfined" } } },
    { name: "d", securityContext: { seccompProfile: { type: "Unconfined" } } },
    { name: "e", securityContext: { seccompProfile: { type: "RuntimeDefault" } } },
    { name: "f", securityContext: { seccompProfile: { type: "RuntimeDefault" } } },
];
const seccompExplicitCases: Case[] = [
    {
        name: "pod seccomp invalid",
        pod: { spec: { securityContext: { seccompProfile: { type: "Unconfined" } }, containers: [{ name: "a", securityContext: null }] } },
        expectReason: "seccompProfile",
        expectDetail: 'pod must not set securityContext.seccompProfile.type to "Unconfined"',
    },
    {
        name: "containers seccomp invalid",
        pod: { spec: { securityContext: { seccompProfile: { type: "RuntimeDefault" } }, containers: seccompContainers } },
        expectReason: "seccompProfile",
        expectDetail: 'containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"',
    },
];
table("seccompProfileBaseline_1_19", seccompProfileBaseline_1_19, [
    ...seccompExplicitCases,
    {
        name: "pod and containers seccomp invalid",
        pod: { spec: { securityContext: { seccompProfile: { type: "Unconfined" } }, containers: seccompContainers } },
        expectReason: "seccompProfile",
        expectDetail: 'pod and containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"',
    },
]);

// check_seccompProfile_restricted_test.go
const seccompNoExplicit: Case = {
    name: "no explicit seccomp",
    pod: containers({ name: "a" }),
    expectReason: "seccompProfile",
    expectDetail: 'pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
};
const seccompFallthrough: Case = {
    name: "pod nil, container fallthrough",
    pod: containers(
        { name: "a", securityContext: null },
        { name: "b", securityContext: {} },
        { name: "d", securityContext: { seccompProfile: { type: "RuntimeDefault" } } },
        { name: "e", securityContext: { seccompProfile: { type: "RuntimeDefault" } } },
    ),
    expectReason: "seccompProfile",
    expectDetail: 'pod or containers "a", "b" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
};
table("seccompProfileRestricted_1_25", seccompProfileRestricted_1_25, [
    seccompNoExplicit,
    {
        name: "no explicit seccomp, windows Pod",
        pod: { spec: { os: { name: "windows" }, containers: [{ name: "a" }] } },
        allowed: true,
    },
    {
        name: "no explicit seccomp, linux pod",
        pod: { spec: { os: { name: "linux" }, containers: [{ name: "a" }] } },
        expectReason: "seccompProfile",
        expectDetail: 'pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
    },
    ...seccompExplicitCases,
    seccompFallthrough,
]);
table("seccompProfileRestricted_1_19", seccompProfileRestricted_1_19, [seccompNoExplicit, ...seccompExplicitCases, seccompFallthrough]);

// check_sysctls_test.go
const sysctlPod = (name: string, value?: string): PodLike => ({ spec: { securityContext: { sysctls: [{ name, value }] } } });
const forbiddenSysctls: Case = {
    name: "forbidden sysctls",
    pod: { spec: { securityContext: { sysctls: [{ name: "a" }, { name: "b" }] } } },
    expectReason: "forbidden sysctls",
    expectDetail: "a, b",
};
const sysctlRefused = (name: string, value: string): Case => ({
    name: `new supported sysctls not supported: ${name}`,
    pod: sysctlPod(name, value),
    expectReason: "forbidden sysctls",
    expectDetail: name,
});
const sysctlAllowed = (name: string, value: string): Case => ({
    name: `new supported sysctls: ${name}`,
    pod: sysctlPod(name, value),
    allowed: true,
});
table("sysctlsV1Dot0", sysctlsV1Dot0, [
    forbiddenSysctls,
    sysctlRefused("net.ipv4.ip_local_reserved_ports", "1024-4999"),
    sysctlRefused("net.ipv4.tcp_keepalive_time", "7200"),
    sysctlRefused("net.ipv4.tcp_fin_timeout", "60"),
    sysctlRefused("net.ipv4.tcp_keepalive_intvl", "75"),
    sysctlRefused("net.ipv4.tcp_keepalive_probes", "9"),
    sysctlRefused("net.ipv4.tcp_rmem", "4096 87380 16777216"),
    sysctlRefused("net.ipv4.tcp_wmem", "4096 87380 16777216"),
]);
table("sysctlsV1Dot27", sysctlsV1Dot27, [forbiddenSysctls, sysctlAllowed("net.ipv4.ip_local_reserved_ports", "1024-4999")]);
table("sysctlsV1Dot29", sysctlsV1Dot29, [
    forbiddenSysctls,
    sysctlAllowed("net.ipv4.tcp_keepalive_time", "7200"),
    sysctlAllowed("net.ipv4.tcp_fin_timeout", "60"),
    sysctlAllowed("net.ipv4.tcp_keepalive_intvl", "75"),
    sysctlAllowed("net.ipv4.tcp_keepalive_probes", "9"),
]);
table("sysctlsV1Dot32", sysctlsV1Dot32, [
    forbiddenSysctls,
    sysctlAllowed("net.ipv4.tcp_rmem", "4096 87380 16777216"),
    sysctlAllowed("net.ipv4.tcp_wmem", "4096 65536 16777216"),
]);
table("sysctlsV1Dot37", sysctlsV1Dot37, [
    forbiddenSysctls,
    sysctlAllowed("net.ipv4.tcp_slow_start_after_idle", "0"),
    sysctlAllowed("net.ipv4.tcp_notsent_lowat", "16384"),
]);

// check_windowsHostProcess_test.go
table("windowsHostProcess_1_0", windowsHostProcess_1_0, [
    {
        name: "host process",
        pod: {
            spec: {
                securityContext: { windowsOptions: { hostProcess: true } },
                containers: [
                    { name: "a", securityContext: null },
                    { name: "b", securityContext: {} },
                    { name: "c", securityContext: { windowsOptions: {} } },
                    { name: "d", securityContext: { windowsOptions: { hostProcess: false } } },
                    { name: "e", securityContext: { windowsOptions: { hostProcess: true } } },
                    { name: "f", securityContext: { windowsOptions: { hostProcess: true } } },
                ],
            },
        },
        expectReason: "hostProcess",
        expectDetail: 'pod and containers "e", "f" must not set securityContext.windowsOptions.hostProcess=true',
    },
]);

// checks_test.go
describe("TestValidChecks", () => {
    it("registers valid checks whose overrides all name existing checks", () => {
        expect(() => validateChecks(DEFAULT_CHECKS)).not.toThrow();
        const ids = new Set(DEFAULT_CHECKS.map((c) => c.id));
        for (const check of DEFAULT_CHECKS) {
            for (const v of check.versions) for (const override of v.overrideCheckIds ?? []) expect(ids).toContain(override);
        }
    });
});

// registry_test.go
describe("check registry (registry_test.go)", () => {
    function generateCheck(id: string, level: Check["level"], versions: string[], overrides?: string[]): Check {
        return {
            id,
            level,
            versions: versions.map((ver) => ({
                minimumVersion: parseVersion(ver)!,
                checkPod: () => ({ reason: `${id}:${ver}`, detail: "" }),
                overrideCheckIds: overrides,
            })),
        };
    }
    type LevelCase = [Level, string, string[] | null];
    function runCases(checks: Check[], cases: LevelCase[], alsoRestricted = false): void {
        const registry = newEvaluator(checks);
        const reasons = (level: Level, version: string) => {
            const found = registry.checksFor(level, parseVersion(version)!).map((c) => c.checkPod(podView({}))!.reason);
            return found.length === 0 ? null : found;
        };
        it.each(cases)("%s:%s", (level, version, expected) => {
            expect(reasons(level, version)).toEqual(expected);
            if (alsoRestricted) expect(reasons("restricted", version)).toEqual(expected); // restricted = baseline here
        });
    }
    const baselineChecks = [
        generateCheck("a", "baseline", ["v1.0"]),
        generateCheck("b", "baseline", ["v1.10"]),
        generateCheck("c", "baseline", ["v1.0", "v1.5", "v1.10"]),
        generateCheck("d", "baseline", ["v1.11", "v1.15", "v1.20"]),
    ];
    const restrictedChecks = [
        generateCheck("e", "restricted", ["v1.0"]),
        generateCheck("f", "restricted", ["v1.12", "v1.16", "v1.21"]),
        generateCheck("g", "restricted", ["v1.10"], ["a"]),
        generateCheck("h", "restricted", ["v1.0"], ["b"]),
    ];
    const multiOverride = generateCheck("i", "restricted", ["v1.10", "v1.21"]);
    const withMultiOverride: Check = {
        ...multiOverride,
        versions: [
            { ...multiOverride.versions[0], overrideCheckIds: ["c"] },
            { ...multiOverride.versions[1], overrideCheckIds: ["d"] },
        ],
    };

    describe("TestCheckRegistry", () => {
        runCases(
            [...baselineChecks, ...restrictedChecks, withMultiOverride],
            [
                ["privileged", "v1.0", null],
                ["privileged", "latest", null],
                ["baseline", "v1.0", ["a:v1.0", "c:v1.0"]],
                ["baseline", "v1.4", ["a:v1.0", "c:v1.0"]],
                ["baseline", "v1.5", ["a:v1.0", "c:v1.5"]],
                ["baseline", "v1.10", ["a:v1.0", "b:v1.10", "c:v1.10"]],
                ["baseline", "v1.11", ["a:v1.0", "b:v1.10", "c:v1.10", "d:v1.11"]],
                ["baseline", "latest", ["a:v1.0", "b:v1.10", "c:v1.10", "d:v1.20"]],
                ["restricted", "v1.0", ["a:v1.0", "c:v1.0", "e:v1.0", "h:v1.0"]],
                ["restricted", "v1.4", ["a:v1.0", "c:v1.0", "e:v1.0", "h:v1.0"]],
                ["restricted", "v1.5", ["a:v1.0", "c:v1.5", "e:v1.0", "h:v1.0"]],
                ["restricted", "v1.10", ["e:v1.0", "g:v1.10", "h:v1.0", "i:v1.10"]],
                ["restricted", "v1.11", ["d:v1.11", "e:v1.0", "g:v1.10", "h:v1.0", "i:v1.10"]],
                ["restricted", "latest", ["c:v1.10", "e:v1.0", "f:v1.21", "g:v1.10", "h:v1.0", "i:v1.21"]],
                ["restricted", "v1.10000", ["c:v1.10", "e:v1.0", "f:v1.21", "g:v1.10", "h:v1.0", "i:v1.21"]],
            ],
        );
    });
    describe("TestCheckRegistry_NoBaseline", () => {
        runCases(restrictedChecks, [
            ["privileged", "v1.0", null],
            ["privileged", "latest", null],
            ["baseline", "v1.0", null],
            ["baseline", "v1.10", null],
            ["baseline", "latest", null],
            ["restricted", "v1.0", ["e:v1.0", "h:v1.0"]],
            ["restricted", "v1.10", ["e:v1.0", "g:v1.10", "h:v1.0"]],
            ["restricted", "latest", ["e:v1.0", "f:v1.21", "g:v1.10", "h:v1.0"]],
            ["restricted", "v1.10000", ["e:v1.0", "f:v1.21", "g:v1.10", "h:v1.0"]],
        ]);
    });
    describe("TestCheckRegistry_NoRestricted", () => {
        runCases(
            baselineChecks,
            [
                ["baseline", "v1.0", ["a:v1.0", "c:v1.0"]],
                ["baseline", "v1.4", ["a:v1.0", "c:v1.0"]],
                ["baseline", "v1.5", ["a:v1.0", "c:v1.5"]],
                ["baseline", "v1.10", ["a:v1.0", "b:v1.10", "c:v1.10"]],
                ["baseline", "v1.11", ["a:v1.0", "b:v1.10", "c:v1.10", "d:v1.11"]],
                ["baseline", "latest", ["a:v1.0", "b:v1.10", "c:v1.10", "d:v1.20"]],
            ],
            true,
        );
    });
    describe("TestCheckRegistry_Empty", () => {
        runCases(
            [],
            [
                ["privileged", "latest", null],
                ["baseline", "latest", null],
                ["restricted", "latest", null],
            ],
        );
    });
    it("rejects invalid checks as validateChecks does", () => {
        expect(() => newEvaluator([generateCheck("a", "baseline", ["v1.0"]), generateCheck("a", "baseline", ["v1.1"])])).toThrow(
            "multiple checks registered for ID a",
        );
        expect(() => newEvaluator([generateCheck("a", "baseline", ["v1.1", "v1.1"])])).toThrow("check a: duplicate version v1.1");
        expect(() => newEvaluator([generateCheck("a", "baseline", ["v1.2", "v1.1"])])).toThrow("check a: versions must be strictly increasing");
        expect(() => newEvaluator([generateCheck("a", "baseline", ["latest"])])).toThrow("check a: version cannot be 'latest'");
        expect(() => newEvaluator([generateCheck("a", "baseline", ["v1.1"], ["b"])])).toThrow("check a: only restricted checks may set overrides");
        expect(() =>
            newEvaluator([generateCheck("a", "restricted", ["v1.1"]), generateCheck("b", "restricted", ["v1.1"], ["a"])]),
        ).toThrow("check b: overrides restricted check a");
    });
});

describe("the registered checks", () => {
    it("are upstream's 19 checks with their levels and minimum versions", () => {
        expect(CHECKS.map((c) => `${c.level} ${c.id} ${c.versions.map((v) => v.minimumVersion + (v.overrides.length ? `>${v.overrides}` : "")).join(" ")}`)).toEqual([
            "baseline appArmorProfile v1.0",
            "baseline capabilities_baseline v1.0",
            "baseline hostNamespaces v1.0",
            "baseline hostPathVolumes v1.0",
            "baseline hostPorts v1.0",
            "baseline hostProbesAndHostLifecycle v1.34",
            "baseline privileged v1.0",
            "baseline procMount v1.0 v1.35",
            "baseline seLinuxOptions v1.0 v1.31",
            "baseline seccompProfile_baseline v1.0 v1.19",
            "baseline sysctls v1.0 v1.27 v1.29 v1.32 v1.37",
            "baseline windowsHostProcess v1.0",
            "restricted allowPrivilegeEscalation v1.8 v1.25",
            "restricted capabilities_restricted v1.22>capabilities_baseline v1.25>capabilities_baseline",
            "restricted procMount_restricted v1.35>procMount",
            "restricted restrictedVolumes v1.0>hostPathVolumes",
            "restricted runAsNonRoot v1.0 v1.35",
            "restricted runAsUser v1.23 v1.35",
            "restricted seccompProfile_restricted v1.19>seccompProfile_baseline v1.25>seccompProfile_baseline",
        ]);
        expect(LATEST_MINOR).toBe(37);
        expect(LEVELS).toEqual(["privileged", "baseline", "restricted"]);
    });

    it("run in the API server's order, with overridden baseline checks left out at restricted", () => {
        expect(checkIdsFor("restricted", "latest")).toEqual([
            "appArmorProfile",
            "hostNamespaces",
            "hostPorts",
            "hostProbesAndHostLifecycle",
            "privileged",
            "seLinuxOptions",
            "sysctls",
            "windowsHostProcess",
            "allowPrivilegeEscalation",
            "capabilities_restricted",
            "procMount_restricted",
            "restrictedVolumes",
            "runAsNonRoot",
            "runAsUser",
            "seccompProfile_restricted",
        ]);
        expect(checkIdsFor("restricted", "v1.0")).toEqual([
            "appArmorProfile",
            "capabilities_baseline",
            "hostNamespaces",
            "hostPorts",
            "privileged",
            "procMount",
            "seLinuxOptions",
            "seccompProfile_baseline",
            "sysctls",
            "windowsHostProcess",
            "restrictedVolumes",
            "runAsNonRoot",
        ]);
        expect(checkIdsFor("privileged", "latest")).toEqual([]);
    });
});

describe("checkPod and violationMessage", () => {
    const RESTRICTED_CONTAINER = {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        runAsNonRoot: true,
        seccompProfile: { type: "RuntimeDefault" },
    };

    it("formats a bare container at restricted:latest exactly as the API server", () => {
        const pod = { metadata: { name: "head" }, spec: { containers: [{ name: "ray-head", image: "rayproject/ray:2.52.0" }] } };
        const result = checkPod("restricted", "latest", pod);
        expect(result.allowed).toBe(false);
        expect(result.violations.map((v) => v.check)).toEqual([
            "allowPrivilegeEscalation",
            "capabilities_restricted",
            "runAsNonRoot",
            "seccompProfile_restricted",
        ]);
        expect(violationMessage("restricted", "latest", result.violations)).toBe(
            'violates PodSecurity "restricted:latest": ' +
                'allowPrivilegeEscalation != false (container "ray-head" must set securityContext.allowPrivilegeEscalation=false), ' +
                'unrestricted capabilities (container "ray-head" must set securityContext.capabilities.drop=["ALL"]), ' +
                'runAsNonRoot != true (pod or container "ray-head" must set securityContext.runAsNonRoot=true), ' +
                'seccompProfile (pod or container "ray-head" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
        );
    });

    it("leaves out the parentheses of an empty detail", () => {
        const violations = [
            { check: "a", reason: "first", detail: "" },
            { check: "b", reason: "second", detail: "why" },
        ];
        expect(violationMessage("baseline", "v1.30", violations)).toBe('violates PodSecurity "baseline:v1.30": first, second (why)');
    });

    it("allows a hardened pod, and everything at privileged", () => {
        const hardened = { spec: { containers: [{ name: "c", securityContext: RESTRICTED_CONTAINER }] } };
        expect(checkPod("restricted", "latest", hardened)).toEqual({ allowed: true, violations: [] });
        const worst = { spec: { hostNetwork: true, containers: [{ name: "c", securityContext: { privileged: true } }] } };
        expect(checkPod("privileged", "v1.0", worst)).toEqual({ allowed: true, violations: [] });
        expect(checkPod("baseline", "latest", worst).allowed).toBe(false);
    });

    it("allows runAsUser: 0 at restricted v1.22 and refuses it from v1.23", () => {
        const pod = { spec: { securityContext: { runAsUser: 0 }, containers: [{ name: "c", securityContext: RESTRICTED_CONTAINER }] } };
        expect(checkPod("restricted", "v1.22", pod)).toEqual({ allowed: true, violations: [] });
        for (const version of ["v1.23", "v1.34", "latest"]) {
            expect(checkPod("restricted", version, pod).violations).toEqual([
                { check: "runAsUser", reason: "runAsUser=0", detail: "pod must not set runAsUser=0" },
            ]);
        }
        // From v1.35 a pod in a user namespace may run as root.
        expect(checkPod("restricted", "v1.35", { spec: { ...pod.spec, hostUsers: false } }).allowed).toBe(true);
        expect(checkPod("restricted", "v1.34", { spec: { ...pod.spec, hostUsers: false } }).allowed).toBe(false);
    });

    it("evaluates versions newer than the newest check, such as v1.99, as latest", () => {
        const pods: PodLike[] = [
            { spec: { containers: [{ name: "a" }] } },
            { spec: { securityContext: { sysctls: [{ name: "net.ipv4.tcp_notsent_lowat" }, { name: "kernel.msgmax" }] }, containers: [] } },
            { spec: { hostUsers: false, containers: [{ name: "a", securityContext: { ...RESTRICTED_CONTAINER, procMount: "Unmasked" } }] } },
        ];
        for (const level of LEVELS) {
            for (const pod of pods) {
                const latest = checkPod(level, "latest", pod);
                expect(checkPod(level, "v1.99", pod)).toEqual(latest);
                expect(checkPod(level, `v1.${LATEST_MINOR}`, pod)).toEqual(latest);
                expect(checkPod(level, "v1.9223372036854775807", pod)).toEqual(latest);
            }
        }
        expect(checkPod("baseline", "v1.36", pods[1]).violations[0].detail).toBe("net.ipv4.tcp_notsent_lowat, kernel.msgmax");
        expect(checkPod("baseline", "v1.99", pods[1]).violations[0].detail).toBe("kernel.msgmax");
    });

    it("follows upstream's version-specific behaviour", () => {
        // Windows pods skip the Linux-only restricted checks from v1.25.
        const windows = { spec: { os: { name: "windows" }, securityContext: { runAsNonRoot: true }, containers: [{ name: "w" }] } };
        expect(checkPod("restricted", "v1.25", windows).allowed).toBe(true);
        expect(checkPod("restricted", "v1.24", windows).violations.map((v) => v.check)).toEqual([
            "allowPrivilegeEscalation",
            "capabilities_restricted",
            "seccompProfile_restricted",
        ]);
        // Seccomp annotations count before v1.19, the field from v1.19.
        const annotated = { metadata: { annotations: { "seccomp.security.alpha.kubernetes.io/pod": "unconfined" } }, spec: { containers: [{ name: "c" }] } };
        expect(checkPod("baseline", "v1.18", annotated).violations).toEqual([
            { check: "seccompProfile_baseline", reason: "seccompProfile", detail: 'forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined"' },
        ]);
        expect(checkPod("baseline", "v1.19", annotated).allowed).toBe(true);
        // procMount: baseline relaxes for user namespaces from v1.35, restricted does not.
        const unmasked = { spec: { hostUsers: false, containers: [{ name: "c", securityContext: { ...RESTRICTED_CONTAINER, procMount: "Unmasked" } }] } };
        expect(checkPod("baseline", "v1.34", unmasked).violations.map((v) => v.check)).toEqual(["procMount"]);
        expect(checkPod("baseline", "v1.35", unmasked).allowed).toBe(true);
        expect(checkPod("restricted", "v1.35", unmasked).violations.map((v) => v.check)).toEqual(["procMount_restricted"]);
        // container_engine_t is allowed from v1.31.
        const engine = { spec: { securityContext: { seLinuxOptions: { type: "container_engine_t" } }, containers: [] } };
        expect(checkPod("baseline", "v1.30", engine).allowed).toBe(false);
        expect(checkPod("baseline", "v1.31", engine).allowed).toBe(true);
        // Probe hosts are checked from v1.34.
        const probe = { spec: { containers: [{ name: "c", livenessProbe: { httpGet: { host: "example.com" } } }] } };
        expect(checkPod("baseline", "v1.33", probe).allowed).toBe(true);
        expect(checkPod("baseline", "v1.34", probe).violations[0].detail).toBe('container "c" uses probe or lifecycle host "example.com"');
    });

    it("sees the pod as the API server does after defaulting", () => {
        const hardened = { name: "c", securityContext: RESTRICTED_CONTAINER };
        // A volume without a source defaults to emptyDir (upstream fixture restrictedvolumes0 relies on it).
        expect(checkPod("restricted", "latest", { spec: { containers: [hardened], volumes: [{ name: "scratch" }] } }).allowed).toBe(true);
        // With hostNetwork, ports without hostPort get hostPort = containerPort.
        const hostNetwork = { spec: { hostNetwork: true, containers: [{ name: "c", ports: [{ containerPort: 8265 }, { containerPort: 10001, hostPort: 10001 }] }] } };
        expect(checkPod("baseline", "latest", hostNetwork).violations).toEqual([
            { check: "hostNamespaces", reason: "host namespaces", detail: "hostNetwork=true" },
            { check: "hostPorts", reason: "hostPort", detail: 'container "c" uses hostPorts 10001, 8265' },
        ]);
        expect(hostNetwork.spec.containers[0].ports[0]).toEqual({ containerPort: 8265 }); // input untouched
    });

    it("tolerates missing and null fields as Go's nil handling does", () => {
        const odd: PodLike[] = [
            {},
            { metadata: undefined, spec: undefined },
            { spec: { containers: null, initContainers: [null], volumes: [null], securityContext: null } },
            { metadata: { annotations: undefined }, spec: { containers: [{ securityContext: { capabilities: { add: null, drop: null } } }] } },
        ];
        for (const pod of odd) for (const level of LEVELS) expect(() => checkPod(level, "v1.0", pod)).not.toThrow();
        expect(checkPod("restricted", "latest", {})).toEqual({ allowed: true, violations: [] });
        expect(checkPod("restricted", "latest", odd[2]).violations.map((v) => `${v.check}: ${v.detail}`)).toEqual([
            'allowPrivilegeEscalation: container "" must set securityContext.allowPrivilegeEscalation=false',
            'capabilities_restricted: container "" must set securityContext.capabilities.drop=["ALL"]',
            'runAsNonRoot: pod or container "" must set securityContext.runAsNonRoot=true',
            'seccompProfile_restricted: pod or container "" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
        ]);
    });

    it("quotes annotation values with Go's %q and sorts lists in Go's byte order", () => {
        const pod = {
            metadata: { annotations: { "container.apparmor.security.beta.kubernetes.io/c": 'a\u0000"\u00e9\u200b\n\u{1F600}' } },
            spec: { containers: [{ name: "c", securityContext: RESTRICTED_CONTAINER }] },
        };
        expect(checkPod("baseline", "latest", pod).violations[0].detail).toBe(
            'annotation must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/c="a\\x00\\"\u00e9\\u200b\\n\u{1F600}""',
        );
        expect(goQuote("plain")).toBe('"plain"');
        expect(goQuote("\x7f\t\\")).toBe('"\\x7f\\t\\\\"');
        // UTF-8 order puts U+E000 before U+1F600, unlike UTF-16 code-unit order.
        expect(["\u{1F600}", "\uE000", "a"].sort(compareGoStrings)).toEqual(["a", "\uE000", "\u{1F600}"]);
        const caps = { spec: { containers: [{ name: "c", securityContext: { capabilities: { add: ["\u{1F600}", "\uE000", "B", "B"] } } }] } };
        expect(checkPod("baseline", "latest", caps).violations[0].detail).toBe(
            'container "c" must not include "B", "\uE000", "\u{1F600}" in securityContext.capabilities.add',
        );
    });
});

describe("levels and versions", () => {
    it("accepts what upstream's ParseLevel and ParseVersion accept", () => {
        for (const level of ["privileged", "baseline", "restricted"]) expect(isLevel(level)).toBe(true);
        for (const level of ["", "Restricted", "strict", "constructor"]) expect(isLevel(level)).toBe(false);
        for (const version of ["latest", "v1.0", "v1.9", "v1.37", "v1.99", "v1.9223372036854775807"]) expect(isVersion(version)).toBe(true);
        for (const version of ["", "Latest", "v1", "v1.", "v1.01", "v2.0", "1.30", " v1.30", "v1.30 ", "v1.-1", "v1.9223372036854775808", "v1.١"]) {
            expect(isVersion(version), version).toBe(false);
        }
    });

    it("throws on a bad level or version", () => {
        const pod = { spec: { containers: [] } };
        expect(() => checkPod("strict" as Level, "latest", pod)).toThrow('unknown Pod Security level "strict"');
        expect(() => checkPod("restricted", "1.30", pod)).toThrow('invalid Pod Security version "1.30"; allowed: "latest" or "v1.N" (for example "v1.30")');
        expect(() => checkPod("privileged", "v2.0", pod)).toThrow('invalid Pod Security version "v2.0"; allowed: "latest" or "v1.N" (for example "v1.30")');
        expect(() => violationMessage("restricted", "v1.x", [])).toThrow('invalid Pod Security version "v1.x"; allowed: "latest" or "v1.N" (for example "v1.30")');
        expect(() => violationMessage("root" as Level, "latest", [])).toThrow('unknown Pod Security level "root"');
    });
});

describe("API server mutations before admission", () => {
    const unconfinedByAnnotation = {
        metadata: { name: "p", annotations: { "container.apparmor.security.beta.kubernetes.io/container1": "unconfined" } },
        spec: { containers: [{ name: "container1", image: "x" }] },
    };

    it("syncs a deprecated AppArmor annotation into the container's field, as the pod strategy does (message seen from kube-apiserver v1.37.2)", () => {
        const result = checkPod("baseline", "v1.30", unconfinedByAnnotation);
        expect(violationMessage("baseline", "v1.30", result.violations)).toBe(
            'violates PodSecurity "baseline:v1.30": forbidden AppArmor profiles (container "container1" and annotation must not set AppArmor profile type to "Unconfined", "container.apparmor.security.beta.kubernetes.io/container1="unconfined"")',
        );
    });

    it("does not copy an annotation equal to the pod-level profile, an invalid one, or on Windows pods", () => {
        const podLevel = { ...unconfinedByAnnotation, spec: { ...unconfinedByAnnotation.spec, securityContext: { appArmorProfile: { type: "Unconfined" } } } };
        const detail = (pod: object) => checkPod("baseline", "latest", pod).violations.map((v) => v.detail).join();
        expect(detail(podLevel)).not.toContain('container "container1"');
        const invalid = { ...unconfinedByAnnotation, metadata: { annotations: { "container.apparmor.security.beta.kubernetes.io/container1": "localhost/ padded" } } };
        expect(detail(invalid)).not.toContain('container "container1"');
        const windows = { ...unconfinedByAnnotation, spec: { ...unconfinedByAnnotation.spec, os: { name: "windows" } } };
        expect(detail(windows)).not.toContain('container "container1"');
        // The input itself is never changed.
        expect(unconfinedByAnnotation.spec.containers[0]).toEqual({ name: "container1", image: "x" });
    });
});
