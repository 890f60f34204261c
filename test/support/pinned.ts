/**
 * Names and addresses the harness and the image scripts share. Plain constants (and the chart's version, a
 * constant of a module that imports nothing), so that reading them (the scripts do, through pins.ts) loads
 * nothing else.
 */

import { DEFAULT_CHART_VERSION } from "../../model/kuberay/chart";

/** The chart's operator image, as the images script tags it and the harness expects it: the chart deploys its own version. */
export const OPERATOR_IMAGE = `quay.io/kuberay/operator:v${DEFAULT_CHART_VERSION}`;
/** containerd's sandbox image: the real node's and the kind node's. */
export const SANDBOX_IMAGE = "registry.k8s.io/pause:3.10.1";
/** The real node's address (its bridge), where the API server listens and the wheelhouse is served. */
export const NODE_IP = "10.213.0.1";
export const WHEELHOUSE_PORT = 3141;
