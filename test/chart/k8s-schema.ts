// Validates rendered chart objects against the Kubernetes OpenAPI schema of their kinds, offline:
// kubernetes-models checks types, enums, formats and required fields (`.validate()`), and the
// attribute maps of @kubernetes/client-node's generated models add what kubernetes-models lets
// through: unknown fields, which the API server refuses under strict field validation (a misspelt
// `readinesProbe` would otherwise pass). cert-manager and prometheus-operator kinds are CRDs;
// they are checked structurally against the fields their CRDs define.
import * as k8s from '@kubernetes/client-node';
import { Ajv } from 'ajv';
import { ConfigMap, Pod, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { MutatingWebhookConfiguration, ValidatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { CRD_SCHEMAS } from './crd-schemas.ts';

/** A rendered Kubernetes object as plain data. */
export type K8sObject = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string } & Record<string, unknown> };

interface Model {
  validate(): void;
}
type ModelClass = new (data: never) => Model;

const MODELS: Record<string, [ModelClass, string]> = {
  'v1/ConfigMap': [ConfigMap as ModelClass, 'V1ConfigMap'],
  'v1/Pod': [Pod as ModelClass, 'V1Pod'],
  'v1/Secret': [Secret as ModelClass, 'V1Secret'],
  'v1/Service': [Service as ModelClass, 'V1Service'],
  'v1/ServiceAccount': [ServiceAccount as ModelClass, 'V1ServiceAccount'],
  'apps/v1/Deployment': [Deployment as ModelClass, 'V1Deployment'],
  'batch/v1/Job': [Job as ModelClass, 'V1Job'],
  'batch/v1/CronJob': [CronJob as ModelClass, 'V1CronJob'],
  'policy/v1/PodDisruptionBudget': [PodDisruptionBudget as ModelClass, 'V1PodDisruptionBudget'],
  'rbac.authorization.k8s.io/v1/ClusterRole': [ClusterRole as ModelClass, 'V1ClusterRole'],
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': [ClusterRoleBinding as ModelClass, 'V1ClusterRoleBinding'],
  'rbac.authorization.k8s.io/v1/Role': [Role as ModelClass, 'V1Role'],
  'rbac.authorization.k8s.io/v1/RoleBinding': [RoleBinding as ModelClass, 'V1RoleBinding'],
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration': [
    ValidatingWebhookConfiguration as ModelClass,
    'V1ValidatingWebhookConfiguration',
  ],
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': [
    MutatingWebhookConfiguration as ModelClass,
    'V1MutatingWebhookConfiguration',
  ],
};

const ajv = new Ajv({ allErrors: true, strict: false });
const crdValidators = new Map(Object.entries(CRD_SCHEMAS).map(([key, schema]) => [key, ajv.compile(schema)]));

/**
 * Returns the schema problems of one object, each a line naming the object and the field; an
 * empty list when the object is valid for its kind. A kind this file does not know is a problem.
 */
export function schemaProblems(object: K8sObject): string[] {
  const key = `${object.apiVersion}/${object.kind}`;
  const where = `${object.kind}/${object.metadata?.name}`;
  const crd = crdValidators.get(key);
  if (crd) {
    return crd(object) ? [] : (crd.errors ?? []).map((e) => `${where}: ${e.instancePath || '/'} ${e.message}`);
  }
  const entry = MODELS[key];
  if (!entry) return [`${where}: no schema known for ${key}`];
  const [Model, typeName] = entry;
  const problems: string[] = [];
  try {
    new Model(structuredClone(object) as never).validate();
  } catch (err) {
    problems.push(`${where}: ${(err as Error).message}`);
  }
  for (const pointer of unknownFields(object, typeName)) problems.push(`${where}: unknown field ${pointer}`);
  return problems;
}

interface Attribute {
  baseName: string;
  type: string;
}

/** Returns the JSON Pointers of fields that the generated model `typeName` does not define. */
export function unknownFields(value: unknown, typeName: string, at = ''): string[] {
  const array = /^Array<(.+)>$/.exec(typeName);
  if (array) {
    return Array.isArray(value) ? value.flatMap((item, i) => unknownFields(item, array[1], `${at}/${i}`)) : [];
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(typeName);
  if (map) {
    if (!isRecord(value)) return [];
    return Object.entries(value).flatMap(([k, v]) => unknownFields(v, map[1], `${at}/${escape(k)}`));
  }
  const attributes = attributesOf(typeName);
  if (!attributes || !isRecord(value)) return [];
  const byName = new Map(attributes.map((a) => [a.baseName, a.type]));
  return Object.entries(value).flatMap(([k, v]) => {
    const type = byName.get(k);
    return type === undefined ? [`${at}/${escape(k)}`] : unknownFields(v, type, `${at}/${escape(k)}`);
  });
}

function attributesOf(typeName: string): Attribute[] | undefined {
  const model = (k8s as unknown as Record<string, { getAttributeTypeMap?: () => Attribute[] } | undefined>)[typeName];
  return typeof model?.getAttributeTypeMap === 'function' ? model.getAttributeTypeMap() : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function escape(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
