/** Pure recognisers for the value formats the configuration uses. Each returns true when the value is allowed. */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** A Kubernetes namespace name (RFC 1123 label). */
export function isDns1123Label(value: string): boolean {
    return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** A Kubernetes Service-compatible name (RFC 1035 label), with room for a suffix of `reserve` characters. */
export function isDns1035Label(value: string, reserve = 0): boolean {
    return value.length <= 63 - reserve && DNS1035_LABEL.test(value);
}

/** kind names its node container `<name>-control-plane`, which must stay a valid 63-character hostname. */
export const KIND_NAME_MAX = 49;
const KIND_NAME = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;

export function isKindClusterName(value: string): boolean {
    return value.length <= KIND_NAME_MAX && KIND_NAME.test(value);
}

export const NAME_RULE =
    "a Kubernetes name: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";
export const CPU_RULE = 'a CPU quantity greater than zero, such as "1", "0.5" or "500m"';
export const MEMORY_RULE = 'a memory quantity greater than zero, such as "2Gi", "512Mi" or "2G"';

/** A CPU quantity greater than zero: whole or decimal cores (`1`, `0.5`) or millicores (`500m`). */
export function isCpuQuantity(value: string): boolean {
    const match = /^(\d+(?:\.\d+)?|\.\d+)(m?)$/.exec(value);
    return match !== null && Number(match[1]) > 0 && (match[2] === "" || Number.isInteger(Number(match[1])));
}

/** A memory quantity greater than zero: bytes, decimal (`k`, `M`, `G`, …) or binary (`Ki`, `Mi`, `Gi`, …) suffixes. */
export function isMemoryQuantity(value: string): boolean {
    const match = /^(\d+(?:\.\d+)?)(?:[kMGTPE]|[KMGTPE]i|e\d+)?$/.exec(value);
    return match !== null && Number(match[1]) > 0;
}

export interface ImageReference {
    /** Repository, with registry when given: `rayproject/ray`, `ghcr.io/org/ray`. */
    repository: string;
    tag?: string;
    digest?: string;
}

const IMAGE_REFERENCE =
    /^((?:[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/;

/** Parses a container image reference; undefined when it is not one. */
export function parseImageReference(value: string): ImageReference | undefined {
    const match = IMAGE_REFERENCE.exec(value);
    if (!match) {
        return undefined;
    }
    return { repository: match[1], tag: match[2], digest: match[3] };
}

export const CHART_REPOSITORY_RULE =
    'an absolute http://, https:// or oci:// URL with a host and no user:password (it would be kept in the stack\'s state in clear), such as "https://charts.example.com/kuberay/" or "oci://registry.example.com/charts"';

/**
 * A Helm chart repository (`http://`, `https://`) or OCI registry (`oci://`) URL with a host. The scheme must
 * be lowercase and followed by `//` and the host: WHATWG URL parsing forgives `http:/host` and
 * `https:///host`, and Helm recognises an OCI registry by the literal prefix `oci://`. Credentials are refused
 * because the URL is an input of the Chart resource, stored in the state unencrypted.
 */
export function isChartRepositoryUrl(value: string): boolean {
    if (!/^(https?|oci):\/\/[^/\s]\S*$/.test(value)) {
        return false;
    }
    try {
        const url = new URL(value);
        return url.hostname !== "" && url.username === "" && url.password === "";
    } catch {
        return false;
    }
}
