/**
 * The shapes shared by the policy core and its doors. Everything here is plain data: the core
 * takes a decoded object and returns findings; it never sees files, sockets or the clock.
 */

/** `deny` blocks the write (exit 1, `allowed: false`); `warn` only reports. */
export type Severity = 'deny' | 'warn';

/** A severity as a policy file may set it; `off` disables a policy rule. */
export type SeveritySetting = Severity | 'off';

/**
 * `apiserver`: kube-apiserver would refuse the write (always `deny`, cannot be turned off).
 * `policy`: everything else, severity from the policy.
 */
export type Category = 'apiserver' | 'policy';

/** Kubernetes releases whose EndpointSlice rules sliceguard models (contracts.md). */
export const KUBE_VERSIONS = ['1.32', '1.33', '1.34', '1.35', '1.36', '1.37'] as const;
export type KubeVersion = (typeof KUBE_VERSIONS)[number];
export const DEFAULT_KUBE_VERSION: KubeVersion = '1.37';

/** One RFC 6902 JSON Patch operation; paths are RFC 6901 JSON Pointers. */
export type PatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

/** A finding as the engine produces it: located by pointer, before file positions are known. */
export interface Finding {
  rule: string;
  category: Category;
  severity: Severity;
  /** RFC 6901 JSON Pointer into the evaluated object, e.g. `/endpoints/0/addresses/1`. */
  pointer: string;
  /** The API server's field path, e.g. `endpoints[0].addresses[1]`. */
  path: string;
  message: string;
  messageId: string;
  /** JSON Patch that repairs this finding, when the rule can fix it. */
  fix?: PatchOperation[];
}

/** The result of evaluating one object. */
export interface Report {
  /** False when any finding has severity `deny`. */
  allowed: boolean;
  /** Sorted by path, then rule id. */
  findings: Finding[];
  /** Whether the object is a `discovery.k8s.io/v1` EndpointSlice that the rules judged. */
  judged: boolean;
}

/** The user that made the request, as in AdmissionReview `request.userInfo`. */
export interface UserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
}

/** What the Service-aware rules need to know about one Service. */
export interface ServiceInfo {
  namespace: string;
  name: string;
  /** Whether `spec.selector` is non-empty (the endpointslice controller then owns slices). */
  hasSelector: boolean;
  /** Ports after defaulting: name `""` when absent, protocol `TCP` when absent. */
  ports: { name: string; protocol: string; port?: number }[];
  ipFamilies: string[];
  clusterIP?: string;
  type?: string;
  uid?: string;
}

/** A read-only source of Services, keyed by namespace and name. */
export interface ServiceLookup {
  get(namespace: string, name: string): ServiceInfo | undefined;
}

/** Where and how an object is being evaluated. */
export interface EvalContext {
  /** AdmissionReview operation; manifests are CREATE. */
  operation?: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  /** The stored object, for UPDATE. */
  oldObject?: unknown;
  /**
   * The namespace the object is written to when it has none of its own (`--namespace`, or the
   * AdmissionReview's `request.namespace`). Absent means "none": then the API-server rule reports
   * `metadata.namespace`.
   */
  namespace?: string;
  kubeVersion?: KubeVersion;
  userInfo?: UserInfo;
  /** `offline` for files (every slice counts as manual), `webhook` for admission. */
  mode?: 'offline' | 'webhook';
  /** Known Services; undefined means no Service source at all (Service-aware rules are silent). */
  services?: ServiceLookup;
}
