/** What the shipped Pulumi.existing.yaml sets: the node suite's stack keeps it. */
export const NODE_NAMESPACE = "ray-restricted";
export const NODE_RAY_CLUSTER = "raycluster-restricted";
