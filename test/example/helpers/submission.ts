/**
 * verify's Jobs client with another submission. verify's runExampleJob submits the ConfigMap's mount path
 * (`python /home/ray/samples/xgboost_example.py`), which a local head does not have; this wrapper changes
 * only what is submitted, so polling, logs, the timeout and stop run exactly as in verify.
 */

import { JobSubmitRequest, RayJobsApi } from "../../../verify/ray/rayJobsClient";

export type Submission = Pick<JobSubmitRequest, "entrypoint" | "runtime_env">;

export function submitting(api: RayJobsApi, submission: Submission): RayJobsApi & { submitted: JobSubmitRequest[] } {
    const submitted: JobSubmitRequest[] = [];
    return {
        submitted,
        version: () => api.version(),
        submit: (request) => {
            const actual = { ...request, ...submission };
            submitted.push(actual);
            return api.submit(actual);
        },
        status: (id) => api.status(id),
        logs: (id) => api.logs(id),
        stop: (id) => api.stop(id),
    };
}
