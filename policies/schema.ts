/**
 * The decoding gate: what kube-apiserver's strict decoder refuses before validation runs. The
 * server decodes the JSON body into the typed `discovery.k8s.io/v1` structs with strict field
 * validation (kubectl's default): a field the struct does not have, or a value of the wrong JSON
 * type, fails the whole request with 400 before any field is validated. JSON `null` is the same as
 * an absent field everywhere (nil pointer, nil list, zero value), so every field here also accepts
 * null. The schema is written by hand from k8s.io/api `discovery/v1/types.go` and apimachinery's
 * `ObjectMeta`; the OpenAPI document marks required fields and refuses nulls, which the decoder
 * does not. Compiled once, on first use, so commands that never see a slice do not pay for it.
 */
import type { ErrorObject } from 'ajv';
import { validate as validateEndpointSlice } from './generated/endpointslice-validator.ts';
import { pointer as buildPointer, parsePointer } from './pointer.ts';

/** One decoding problem, located by JSON Pointer. */
export interface DecodeProblem {
  kind: 'unknown-field' | 'field-type';
  /** JSON Pointer of the unknown field or the wrong value. */
  pointer: string;
  /** The field path in API-server form; map keys are written `[key]`, as `field.Path` does. */
  path: string;
  /** What the decoder says, in the API server's terms (`unknown field "spec"`). */
  message: string;
  /** unknown-field: the field's name. */
  field?: string;
  /** unknown-field: the known field it most likely meant (same name in another case). */
  suggestion?: string;
  /** field-type: what the value is (`the string "80"`). */
  found?: string;
  /** field-type: what the decoder needs (`a 32-bit integer`). */
  expected?: string;
}

/** The decoding problems of one object. */
export interface DecodeResult {
  problems: DecodeProblem[];
}

type Schema = Record<string, unknown>;

// `title` names the Go type in messages; ajv ignores it for validation.
const STRING: Schema = { type: ['string', 'null'], title: 'a string' };
const BOOL: Schema = { type: ['boolean', 'null'], title: 'a boolean (true or false)' };
const INT32: Schema = { type: ['integer', 'null'], minimum: -2147483648, maximum: 2147483647, title: 'a 32-bit integer (-2147483648 to 2147483647)' };
// 2^63 is the nearest double to int64's maximum, so the bound cannot be written more exactly.
const INT64: Schema = { type: ['integer', 'null'], minimum: -(2 ** 63), maximum: 2 ** 63, title: 'a 64-bit integer' };
const TIME: Schema = { type: ['string', 'null'], format: 'k8s-time', title: 'an RFC 3339 time such as "2024-01-02T15:04:05Z"' };
/** `FieldsV1` keeps its raw JSON: any value decodes. */
const RAW: Schema = {};

function struct(properties: Record<string, Schema>, title = 'an object'): Schema {
  return { type: ['object', 'null'], properties, additionalProperties: false, title };
}
function list(items: Schema): Schema {
  return { type: ['array', 'null'], items, title: 'a list' };
}
function stringMap(): Schema {
  return { type: ['object', 'null'], additionalProperties: STRING, title: 'a map of strings' };
}

/** core/v1 ObjectReference (`endpoints[].targetRef`). */
const OBJECT_REFERENCE = struct({ kind: STRING, namespace: STRING, name: STRING, uid: STRING, apiVersion: STRING, resourceVersion: STRING, fieldPath: STRING });
const OWNER_REFERENCE = struct({ apiVersion: STRING, kind: STRING, name: STRING, uid: STRING, controller: BOOL, blockOwnerDeletion: BOOL });
const MANAGED_FIELDS_ENTRY = struct({ manager: STRING, operation: STRING, apiVersion: STRING, time: TIME, fieldsType: STRING, fieldsV1: RAW, subresource: STRING });

/** meta/v1 ObjectMeta (`clusterName` left it in 1.25). */
const OBJECT_META = struct({
  name: STRING,
  generateName: STRING,
  namespace: STRING,
  selfLink: STRING,
  uid: STRING,
  resourceVersion: STRING,
  generation: INT64,
  creationTimestamp: TIME,
  deletionTimestamp: TIME,
  deletionGracePeriodSeconds: INT64,
  labels: stringMap(),
  annotations: stringMap(),
  ownerReferences: list(OWNER_REFERENCE),
  finalizers: list(STRING),
  managedFields: list(MANAGED_FIELDS_ENTRY),
});

const ENDPOINT = struct({
  addresses: list(STRING),
  conditions: struct({ ready: BOOL, serving: BOOL, terminating: BOOL }),
  hostname: STRING,
  targetRef: OBJECT_REFERENCE,
  deprecatedTopology: stringMap(),
  nodeName: STRING,
  zone: STRING,
  hints: struct({ forZones: list(struct({ name: STRING })), forNodes: list(struct({ name: STRING })) }),
});

const PORT = struct({ name: STRING, protocol: STRING, port: INT32, appProtocol: STRING });

/** discovery.k8s.io/v1 EndpointSlice. */
export const ENDPOINT_SLICE_SCHEMA: Schema = {
  ...struct({ apiVersion: STRING, kind: STRING, metadata: OBJECT_META, addressType: STRING, endpoints: list(ENDPOINT), ports: list(PORT) }),
  type: 'object',
};

/** The ajv options the gate is compiled with (messages: the gate writes its own). */
export const AJV_OPTIONS = { allErrors: true, strict: true, allowUnionTypes: true, messages: false, validateFormats: true } as const;

type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/**
 * The gate, compiled ahead of time (policies/generated/, written by scripts/gen-schema-validator.ts
 * and checked fresh by a test): no ajv import and no schema compile at start-up.
 */
function validator(): Validator {
  return validateEndpointSlice as Validator;
}

/** Returns the decoding problems of an EndpointSlice object (empty when it decodes cleanly). */
export function decodeEndpointSlice(object: unknown): DecodeResult {
  const validate = validator();
  if (validate(object)) return { problems: [] };
  const problems: DecodeProblem[] = [];
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    const problem = problemOf(e, object);
    // A wrong-typed value can fail `type` and a range keyword at once; one problem per place.
    if (problem && !seen.has(problem.pointer)) {
      seen.add(problem.pointer);
      problems.push(problem);
    }
  }
  return { problems };
}

function problemOf(e: ErrorObject, root: unknown): DecodeProblem | undefined {
  if (e.keyword === 'additionalProperties') {
    const field = (e.params as { additionalProperty: string }).additionalProperty;
    const ptr = e.instancePath + buildPointer(field);
    const known = Object.keys((schemaAt(e.schemaPath)?.properties as Schema | undefined) ?? {});
    const suggestion = known.find((k) => k.toLowerCase() === field.toLowerCase());
    const path = apiPath(ptr);
    return { kind: 'unknown-field', pointer: ptr, path, message: `unknown field "${path}"`, field, ...(suggestion ? { suggestion } : {}) };
  }
  const node = schemaAt(e.schemaPath);
  if (!node) return undefined;
  const value = valueAt(root, e.instancePath);
  const expected = typeof node.title === 'string' ? node.title : 'another type';
  const found = describe(value);
  const path = apiPath(e.instancePath);
  return { kind: 'field-type', pointer: e.instancePath, path, message: `cannot decode ${found} at ${path} as ${expected}`, found, expected };
}

/** The schema node that holds the failing keyword (`#/properties/ports/items/type` -> the port). */
function schemaAt(schemaPath: string): Schema | undefined {
  const segs = schemaPath.replace(/^#/, '').split('/').filter((s) => s !== '');
  segs.pop();
  let node: unknown = ENDPOINT_SLICE_SCHEMA;
  for (const s of segs) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Schema)[s];
  }
  return node !== null && typeof node === 'object' ? (node as Schema) : undefined;
}

/** Returns the API-server field path of a pointer, with map keys as `[key]` (the schema knows which). */
export function apiPath(ptr: string): string {
  let out = '';
  let node: Schema | undefined = ENDPOINT_SLICE_SCHEMA;
  for (const seg of parsePointer(ptr)) {
    const props = node?.properties as Record<string, Schema> | undefined;
    if (node?.items) {
      out += `[${seg}]`;
      node = node.items as Schema;
    } else if (props) {
      out += out === '' ? seg : `.${seg}`;
      node = props[seg];
    } else if (node?.additionalProperties && typeof node.additionalProperties === 'object') {
      out += `[${seg}]`;
      node = node.additionalProperties as Schema;
    } else {
      out += out === '' ? seg : `.${seg}`;
      node = undefined;
    }
  }
  return out;
}

function valueAt(root: unknown, ptr: string): unknown {
  let cur = root;
  for (const seg of parsePointer(ptr)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** Describes a JSON value for a message: `the string "80"`, `the number 1.5`, `a list`. */
function describe(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 39) + '…' : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return `the YAML timestamp ${value.toISOString()}`;
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}
