// The policy pack: `pulumi preview --policy-pack policy`. Policies live in their own module, so tests can
// call them without starting the pack's gRPC server, which constructing a PolicyPack does.
import { PolicyPack } from "@pulumi/policy";
import { podSecurityStandards } from "./podSecurityPolicy";

new PolicyPack("kuberay-pod-security", { policies: [podSecurityStandards] });
