/** What a suite's global setup hands its tests about the control plane it started (vitest's provide/inject). */

export interface ControlPlaneInfo {
    kubeconfigPath: string;
    auditLogPath: string;
    runDir: string;
    version: string;
    apiServerReadyMs: number;
    readyMs: number;
}

declare module "vitest" {
    export interface ProvidedContext {
        controlPlane: ControlPlaneInfo;
    }
}
