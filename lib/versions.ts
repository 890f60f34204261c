/** Dotted release versions (charts, Ray): recognised and compared numerically. */

export function isSemver(value: string): boolean {
    return /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(value);
}

/** Compares dotted versions numerically, part by part (`1.10.0` > `1.9.1`); a pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
    const parse = (version: string) => {
        const [core, pre] = version.replace(/^v/, "").split("-", 2);
        return { parts: core.split(".").map((part) => Number.parseInt(part, 10) || 0), pre };
    };
    const [x, y] = [parse(a), parse(b)];
    for (let i = 0; i < Math.max(x.parts.length, y.parts.length); i++) {
        const difference = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
        if (difference !== 0) return Math.sign(difference);
    }
    if (x.pre === y.pre) return 0;
    if (x.pre === undefined) return 1;
    if (y.pre === undefined) return -1;
    const [p, q] = [x.pre.split("."), y.pre.split(".")];
    for (let i = 0; i < Math.min(p.length, q.length); i++) {
        if (p[i] === q[i]) continue;
        const numeric = /^\d+$/.test(p[i]) && /^\d+$/.test(q[i]);
        return numeric ? Math.sign(Number(p[i]) - Number(q[i])) : p[i] < q[i] ? -1 : 1;
    }
    return Math.sign(p.length - q.length);
}
