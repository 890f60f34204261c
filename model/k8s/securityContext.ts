import { PodSecurityContext, SecurityContext } from "./types";

/**
 * What the `restricted` Pod Security Standard asks of every container: no privilege escalation, no
 * capabilities, a non-root user and the runtime's default seccomp profile.
 */
export function restrictedContainerSecurityContext(): SecurityContext {
    return {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        runAsNonRoot: true,
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** The pod-level half: non-root and RuntimeDefault seccomp for every container, including injected ones. */
export function restrictedPodSecurityContext(): PodSecurityContext {
    return { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };
}
