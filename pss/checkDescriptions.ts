/**
 * What each check enforces, in the words of the Pod Security Standards page (its control names and
 * policies), for reports that describe their rules (SARIF). Keyed by the check's upstream ID.
 */

export interface CheckDescription {
    /** The control's name on the Pod Security Standards page. */
    control: string;
    /** One sentence. */
    short: string;
    /** What is allowed, field by field. */
    full: string;
}

export const POD_SECURITY_STANDARDS_URL = "https://kubernetes.io/docs/concepts/security/pod-security-standards/";

export const CHECK_DESCRIPTIONS: Record<string, CheckDescription> = {
    windowsHostProcess: {
        control: "HostProcess",
        short: "Windows Pods must not run HostProcess containers.",
        full: "spec.securityContext.windowsOptions.hostProcess and the containers' securityContext.windowsOptions.hostProcess must be unset or false.",
    },
    hostNamespaces: {
        control: "Host Namespaces",
        short: "Sharing the host namespaces must be disallowed.",
        full: "spec.hostNetwork, spec.hostPID and spec.hostIPC must be unset or false.",
    },
    privileged: {
        control: "Privileged Containers",
        short: "Privileged Pods disable most security mechanisms and must be disallowed.",
        full: "The containers' securityContext.privileged must be unset or false.",
    },
    capabilities_baseline: {
        control: "Capabilities",
        short: "Adding capabilities beyond the default set must be disallowed.",
        full: "The containers' securityContext.capabilities.add may only hold AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT.",
    },
    hostPathVolumes: {
        control: "HostPath Volumes",
        short: "HostPath volumes must be forbidden.",
        full: "spec.volumes[*].hostPath must be unset.",
    },
    hostPorts: {
        control: "Host Ports",
        short: "HostPorts should be disallowed entirely, or restricted to a known list.",
        full: "The containers' ports[*].hostPort must be unset or 0.",
    },
    hostProbesAndHostLifecycle: {
        control: "Host Probes / Lifecycle Hooks",
        short: "The host field of probes and lifecycle hooks must be disallowed.",
        full: "The containers' probes' and lifecycle handlers' httpGet.host and tcpSocket.host must be unset or empty.",
    },
    appArmorProfile: {
        control: "AppArmor",
        short: "The default AppArmor profile must not be overridden, or only with allowed profiles.",
        full: "securityContext.appArmorProfile.type of the Pod and its containers, and the container.apparmor.security.beta.kubernetes.io annotations, may only be unset, RuntimeDefault or Localhost (runtime/default or localhost/*).",
    },
    seLinuxOptions: {
        control: "SELinux",
        short: "Setting a custom SELinux user or role, and setting the type to anything but a few, must be forbidden.",
        full: "securityContext.seLinuxOptions.type of the Pod and its containers may only be unset, container_t, container_init_t, container_kvm_t or container_engine_t; .user and .role must be unset.",
    },
    procMount: {
        control: "/proc Mount Type",
        short: "The default /proc masks are set up to reduce attack surface, and should be required.",
        full: "The containers' securityContext.procMount must be unset or Default.",
    },
    seccompProfile_baseline: {
        control: "Seccomp",
        short: "The seccomp profile must not be explicitly set to Unconfined.",
        full: "securityContext.seccompProfile.type of the Pod and its containers must not be Unconfined.",
    },
    sysctls: {
        control: "Sysctls",
        short: "Sysctls can disable security mechanisms or affect all containers on a host; only a safe subset is allowed.",
        full: "spec.securityContext.sysctls[*].name may only be one of the safe sysctls (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes).",
    },
    restrictedVolumes: {
        control: "Volume Types",
        short: "Only the core non-persistent volume types, and PersistentVolumeClaims, are allowed.",
        full: "spec.volumes[*] may only be configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected or secret.",
    },
    allowPrivilegeEscalation: {
        control: "Privilege Escalation",
        short: "Privilege escalation (such as via set-user-ID or set-group-ID file mode) must not be allowed.",
        full: "The containers' securityContext.allowPrivilegeEscalation must be false (Linux Pods).",
    },
    runAsNonRoot: {
        control: "Running as Non-root",
        short: "Containers must be required to run as non-root users.",
        full: "spec.securityContext.runAsNonRoot must be true, or every container's securityContext.runAsNonRoot must be true; none may set it false.",
    },
    runAsUser: {
        control: "Running as Non-root user",
        short: "Containers must not set runAsUser to 0.",
        full: "securityContext.runAsUser of the Pod and its containers must be unset or non-zero.",
    },
    seccompProfile_restricted: {
        control: "Seccomp",
        short: "The seccomp profile must be explicitly set to one of the allowed values.",
        full: "securityContext.seccompProfile.type must be RuntimeDefault or Localhost, on the Pod or on every container; Unconfined is forbidden.",
    },
    capabilities_restricted: {
        control: "Capabilities",
        short: "Containers must drop ALL capabilities, and are only permitted to add back NET_BIND_SERVICE.",
        full: "The containers' securityContext.capabilities.drop must hold ALL; .add may only hold NET_BIND_SERVICE (Linux Pods).",
    },
    procMount_restricted: {
        control: "/proc Mount Type",
        short: "The default /proc masks are set up to reduce attack surface, and should be required.",
        full: "The containers' securityContext.procMount must be unset or Default (user-namespaced Pods included).",
    },
};
