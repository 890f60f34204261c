import { Level } from "../../model/podSecurity";

export const POD_SECURITY_MODES = ["enforce", "audit", "warn"] as const;

/**
 * The six `pod-security.kubernetes.io/*` labels: the same level and version for all three modes, so a Pod
 * that would be refused is also audited (audit log) and warned about (kubectl), as in the tutorial.
 */
export function podSecurityLabels(level: Level, version: string): Record<string, string> {
    return Object.fromEntries(
        POD_SECURITY_MODES.flatMap((mode) => [
            [`pod-security.kubernetes.io/${mode}`, level],
            [`pod-security.kubernetes.io/${mode}-version`, version],
        ]),
    );
}
