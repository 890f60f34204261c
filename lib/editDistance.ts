/** Levenshtein distance, for "did you mean …?" hints. Pure. */

export function editDistance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
            diagonal = above;
        }
    }
    return row[b.length];
}

/** The candidate nearest to `name` within `maxDistance` edits (the first of equals), or undefined. */
export function closestName(name: string, candidates: Iterable<string>, maxDistance = 3): string | undefined {
    let best: { candidate: string; distance: number } | undefined;
    for (const candidate of candidates) {
        const distance = editDistance(name, candidate);
        if (distance <= maxDistance && (best === undefined || distance < best.distance)) best = { candidate, distance };
    }
    return best?.candidate;
}
