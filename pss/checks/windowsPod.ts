/** The `podSpec.OS != nil && podSpec.OS.Name == corev1.Windows` test several restricted checks share from v1.25. */

import type { PodSpecShape } from "../core/podShape";

export function isWindowsPod(spec: PodSpecShape): boolean {
    return spec.os != null && spec.os.name === "windows";
}
