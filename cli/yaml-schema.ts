/**
 * YAML as kubectl reads it before it sends JSON to the API server. kubectl converts manifests with
 * sigs.k8s.io/yaml, which resolves plain scalars with goyaml.v2's YAML 1.1 table: `y`, `yes`, `on`,
 * `n`, `no` and `off` (in three spellings each) are booleans, and a timestamp is kept as the string
 * it was written as (goyaml.v2 only makes a time.Time when the target is one, and JSON has none).
 * js-yaml's default schema reads `yes` as a string and `2024-05-01` as a Date, so a label value of
 * `2024-05-01` would look like a type error and `ready: yes` like a string; this schema reads both
 * as kubectl does. Merge keys (`<<`) stay, as goyaml.v2 has them.
 */
import yaml from 'js-yaml';

/** goyaml.v2 `resolve.go`: every spelling of a YAML 1.1 boolean. */
const BOOLEANS: Record<string, boolean> = Object.assign(
  Object.create(null) as Record<string, boolean>,
  Object.fromEntries(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s) => [s, true])),
  Object.fromEntries(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s) => [s, false])),
);

/** Replaces js-yaml's YAML 1.2 boolean type (same tag) with goyaml.v2's. */
const yaml11Bool = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  // Every plain scalar passes here (addresses, names...): the length test rejects nearly all at once.
  resolve: (data: unknown) => typeof data === 'string' && data.length <= 5 && BOOLEANS[data] !== undefined,
  construct: (data: string) => BOOLEANS[data],
  predicate: (object: unknown) => typeof object === 'boolean',
  represent: (object: object) => (object ? 'true' : 'false'),
});

/** The schema the CLI loads manifests with: js-yaml's core schema, YAML 1.1 booleans, merge keys, no timestamps. */
export const KUBECTL_YAML_SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [yaml11Bool, mergeType()] });

/** js-yaml 4 exports its built-in types as `types`; @types/js-yaml does not declare it. */
function mergeType(): yaml.Type {
  return (yaml as unknown as { types: { merge: yaml.Type } }).types.merge;
}
