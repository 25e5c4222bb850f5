import type { Category, EvalContext, KubeVersion, PatchOperation, Severity, ServiceLookup, UserInfo } from './types.ts';
import type { DecodeResult } from './schema.ts';

/** Everything a rule says about itself; the registry, the docs and `sliceguard rules` read it. */
export interface RuleMeta<O, M extends string> {
  /** kebab-case, equal to the file name in `policies/rules/`; never reused once released. */
  id: string;
  category: Category;
  /** One sentence. */
  description: string;
  /** Always `deny` for `apiserver` rules. */
  defaultSeverity: Severity;
  fixable: boolean;
  /** JSON Schema of the options object; validated when the policy is created. */
  schema: Record<string, unknown>;
  defaultOptions: O;
  /** Message templates; `{{name}}` placeholders are filled from `report({ data })`. */
  messages: Record<M, string>;
  /**
   * `endpoints`: the finding is about `endpoints` and is discarded on an UPDATE that leaves
   * `endpoints` semantically unchanged (apiserver-rules.md U-2, Kubernetes 1.33+).
   */
  ratchet?: 'endpoints';
  /** Kinds the rule runs on (default: `EndpointSlice` in `discovery.k8s.io/v1` only). */
  kinds?: string[];
  /** Restrict the rule to one door (`exported-metadata` only makes sense for files). */
  modes?: ('offline' | 'webhook')[];
  /**
   * Off unless the policy names the rule (with any setting but `off`); then `defaultSeverity`
   * applies. For rules whose fix changes what the writer wrote, or advice most manifests need not follow.
   */
  optIn?: boolean;
}

/** What `report()` takes: a message id, a JSON Pointer, placeholder data and an optional fix. */
export interface ReportDescriptor<M extends string> {
  messageId: M;
  /** JSON Pointer built with `pointer(...)`. */
  path: string;
  /**
   * The API server's field path when it differs from the pointer's natural form (for example the
   * un-indexed `metadata.ownerReferences.uid` of Kubernetes 1.36 and older).
   */
  apiPath?: string;
  data?: Record<string, string | number | boolean>;
  fix?: PatchOperation[];
}

/** The second argument of `check`. */
export interface RuleContext<O, M extends string> {
  options: O;
  report(descriptor: ReportDescriptor<M>): void;
  kubeVersion: KubeVersion;
  /** True when the selected Kubernetes release is `version` or newer. */
  atLeast(version: KubeVersion): boolean;
  operation: NonNullable<EvalContext['operation']>;
  /** The stored object on UPDATE. */
  oldObject: unknown;
  /** The effective namespace: the object's own, else the context's; undefined when neither. */
  namespace: string | undefined;
  userInfo: UserInfo | undefined;
  mode: NonNullable<EvalContext['mode']>;
  services: ServiceLookup | undefined;
  /** What the schema gate found (type errors and unknown fields), computed once per object. */
  decode: DecodeResult;
}

/** A rule: metadata plus one pure check function. */
export interface Rule<O = unknown, M extends string = string> {
  meta: RuleMeta<O, M>;
  /** Reads the object (never changes it) and reports findings. */
  check(object: Readonly<Record<string, unknown>>, context: RuleContext<O, M>): void;
}

/** Returns its argument; it exists only so that TypeScript infers option and message-id types. */
export function defineRule<O, M extends string>(rule: Rule<O, M>): Rule<O, M> {
  return rule;
}

/** A rule with its types erased, as the registry holds it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = Rule<any, string>;
