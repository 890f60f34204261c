/**
 * The exit code in the v1 Status the API server sends at the end of an exec stream: `Success`, or `Failure`
 * with reason `NonZeroExitCode` and a cause `{reason: "ExitCode", message: "<n>"}`. Pure.
 */

export interface ExecStatus {
    status?: string;
    reason?: string;
    message?: string;
    details?: { causes?: { reason?: string; message?: string }[] };
}

export function exitCodeOf(status: ExecStatus): number | undefined {
    if (status.status === "Success") return 0;
    const cause = status.details?.causes?.find((c) => c.reason === "ExitCode");
    const code = cause?.message !== undefined ? Number(cause.message) : NaN;
    return Number.isInteger(code) ? code : undefined;
}
