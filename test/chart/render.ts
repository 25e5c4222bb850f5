// Renders charts/sliceguard with the real helm binary (scripts/helm.ts) and returns the objects.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { runHelm, type HelmResult } from '../../scripts/helm.ts';
import type { K8sObject } from './k8s-schema.ts';

export const CHART = resolve(fileURLToPath(new URL('../../charts/sliceguard', import.meta.url)));
export const RELEASE = 'sg';
export const NAMESPACE = 'sliceguard-system';
/** The prefix of every resource name for RELEASE ("sg" does not contain "sliceguard"). */
export const FULLNAME = 'sg-sliceguard';
/** Kubernetes version helm renders for, unless a test asks for another. */
export const KUBE_VERSION = '1.33.0';

/** Runs helm with a values file holding `values` (JSON is YAML) and the arguments before it. */
export function helmWithValues(args: string[], values: object = {}): HelmResult {
  const dir = mkdtempSync(join(tmpdir(), 'sliceguard-chart-'));
  try {
    const file = join(dir, 'values.yaml');
    writeFileSync(file, JSON.stringify(values));
    return runHelm([...args, '-f', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Returns the result of `helm template` for `values` without throwing on failure. */
export function template(values: object = {}, extra: string[] = []): HelmResult {
  return helmWithValues(
    ['template', RELEASE, CHART, '--namespace', NAMESPACE, '--kube-version', KUBE_VERSION, ...extra],
    values,
  );
}

const rendered = new Map<string, K8sObject[]>();

/**
 * Returns every object `helm template` renders for `values`; throws with helm's message on
 * failure. Renders are cached by their inputs (each is a helm process); callers get fresh copies.
 */
export function render(values: object = {}, extra: string[] = []): K8sObject[] {
  const key = JSON.stringify([values, extra]);
  let objects = rendered.get(key);
  if (!objects) {
    const result = template(values, extra);
    if (result.status !== 0) throw new Error(`helm template failed: ${result.stderr}`);
    objects = yaml.loadAll(result.stdout).filter((doc): doc is K8sObject => doc !== null && typeof doc === 'object');
    rendered.set(key, objects);
  }
  return structuredClone(objects);
}

/** Returns the one object of `kind` (and `name`, when given); throws when there is not exactly one. */
export function one(objects: K8sObject[], kind: string, name?: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) {
    const names = objects.filter((o) => o.kind === kind).map((o) => o.metadata.name);
    throw new Error(`expected one ${kind}${name ? ` named ${name}` : ''}, found ${found.length} (${kind}s: ${names.join(', ')})`);
  }
  return found[0];
}

/** Returns the objects of `kind`. */
export function all(objects: K8sObject[], kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind);
}

/** Returns the value at a dotted path ("spec.template.spec") of an object, or undefined. */
export function at(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** The Helm hook events an object belongs to (empty for a release object). */
export function hooks(object: K8sObject): string[] {
  const annotations = (object.metadata.annotations ?? {}) as Record<string, string>;
  return annotations['helm.sh/hook']?.split(',') ?? [];
}
