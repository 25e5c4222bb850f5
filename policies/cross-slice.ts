/**
 * The checks that need all slices of a Service at once: `port-name-mismatch` (b), a Service port
 * that none of its slices with endpoints carries, and `duplicate-address` across slices. The CLI
 * feeds every judged slice through `add` while it streams the files; only a small summary is kept
 * (per Service its covered ports and, per address, the slices that listed it first), never the documents.
 * The webhook sees one slice at a time and cannot make these checks.
 */
import type { Finding, ServiceLookup } from './types.ts';
import { activeRule, effectiveSeverity, isExempt, type ActiveRule, type Policy } from './policy.ts';
import { pointer, pointerToPath } from './pointer.ts';
import { fillTemplate, ownString, quote } from './format.ts';
import { isRecord } from './slice.ts';
import { addressKey, forEachAddress, hasEndpoints, labelOf, labelsOf, portId, portKeyOf, SERVICE_NAME_LABEL, showList, showPort, type PortKey } from './slice-policy.ts';

interface ServiceGroup<R> {
  namespace: string;
  name: string;
  /** True once a slice with endpoints was seen (exempt or not), for `port-name-mismatch` (b). */
  withEndpoints: boolean;
  /** The ports that the group's slices with endpoints carry, by `portId`. */
  covered: Set<string>;
  /** The non-exempt slices with endpoints, which get the group's uncovered-ports finding. */
  refs: R[];
  /** Address key -> which of the group's slices listed it first, for `duplicate-address`. */
  takers: Map<string, Takers>;
  /** The port list of the group's last slice with addresses: the slices of a Service share it. */
  lastPorts: string[] | undefined;
}

/**
 * Which slice first listed an address under which ports, for `duplicate-address`: a slice number
 * when that slice took every one of its ports (nearly always), else pairs of (slice number, how
 * many of its leading ports it took). A slice takes an address's port when no earlier slice of
 * its Service has it there; the first such slice is the one a later duplicate is reported
 * against. A map of these per Service, rather than a map per Service and port, keeps the index
 * small: it is the only thing `validate` holds per address.
 */
type Takers = number | number[];

/** Collects per-Service summaries of slices and returns the cross-slice findings at the end. */
export class CrossSliceIndex<R> {
  private readonly policy: Policy;
  private readonly ports: ActiveRule | undefined;
  private readonly duplicates: ActiveRule | undefined;
  /** Groups by namespace, then Service name; and in the order they were made. */
  private readonly groups = new Map<string, Map<string, ServiceGroup<R>>>();
  private readonly groupList: ServiceGroup<R>[] = [];
  private readonly extra = new Map<R, Finding[]>();
  /** By slice number (slices that list addresses): name and port list. */
  private readonly names: string[] = [];
  private readonly slicePorts: string[][] = [];
  /** Port -> first index, for the long port lists (`indexIn`). */
  private readonly portIndexes = new WeakMap<string[], Map<string, number>>();

  constructor(policy: Policy) {
    this.policy = policy;
    this.ports = activeRule(policy, 'port-name-mismatch');
    this.duplicates = activeRule(policy, 'duplicate-address');
  }

  /**
   * Returns the parts of a slice that `add` reads (name, labels, addressType, ports, each
   * endpoint's addresses at its index), to send to another thread's index; undefined when `add`
   * would ignore the slice (no Service label).
   */
  static summaryOf(slice: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
    if (!labelOf(slice, SERVICE_NAME_LABEL)) return undefined;
    const meta = isRecord(slice.metadata) ? slice.metadata : {};
    const endpoints = Array.isArray(slice.endpoints) ? slice.endpoints.map((e: unknown) => (isRecord(e) ? { addresses: e.addresses } : e)) : slice.endpoints;
    return { metadata: { name: meta.name, labels: meta.labels }, addressType: slice.addressType, ports: slice.ports, endpoints };
  }

  /** True when neither cross-slice rule is enabled, so callers can skip the work. */
  get idle(): boolean {
    return !this.ports && !this.duplicates;
  }

  /** Records one judged slice; `namespace` is its effective namespace. */
  add(slice: Readonly<Record<string, unknown>>, namespace: string | undefined, ref: R): void {
    const service = labelOf(slice, SERVICE_NAME_LABEL);
    if (this.idle || !service || namespace === undefined) return;
    let byName = this.groups.get(namespace);
    if (!byName) this.groups.set(namespace, (byName = new Map()));
    let group = byName.get(service);
    if (!group) {
      group = { namespace, name: service, withEndpoints: false, covered: new Set(), refs: [], takers: new Map(), lastPorts: undefined };
      byName.set(service, group);
      this.groupList.push(group);
    }
    const ports = (Array.isArray(slice.ports) ? slice.ports : []).map(portKeyOf).filter((p): p is PortKey => p !== undefined);
    const labels = labelsOf(slice);
    if (this.ports && hasEndpoints(slice)) {
      group.withEndpoints = true;
      for (const p of ports) group.covered.add(portId(p));
      if (!isExempt(this.policy, this.ports, namespace, labels)) group.refs.push(ref);
    }
    if (this.duplicates && ports.length > 0 && !isExempt(this.policy, this.duplicates, namespace, labels)) {
      this.addAddresses(slice, ports, group, ref);
    }
  }

  private addAddresses(slice: Readonly<Record<string, unknown>>, ports: PortKey[], group: ServiceGroup<R>, ref: R): void {
    const meta = isRecord(slice.metadata) ? slice.metadata : {};
    const id = this.names.push(typeof meta.name === 'string' ? meta.name : '(unnamed)') - 1;
    const ids = ports.map(portId);
    const last = group.lastPorts;
    const list = last && last.length === ids.length && last.every((x, k) => x === ids[k]) ? last : (group.lastPorts = ids);
    this.slicePorts.push(list);
    const groupTakers = group.takers;
    const addressType = slice.addressType;
    forEachAddress(slice, (value, i, j) => {
      const address = addressKey(addressType, value);
      const takers = groupTakers.get(address);
      if (takers === undefined) {
        // Kept for the whole run: a copy, not a view into the document's text (the key can be the
        // address itself, cut from the text by js-yaml).
        groupTakers.set(ownString(address), id);
        return;
      }
      // The usual case: an earlier slice of the Service with the same ports took them all.
      if (typeof takers === 'number' && this.slicePorts[takers] === list) {
        if (takers !== id) this.duplicate(ref, value, i, j, ports[0], takers);
        return;
      }
      // The ports this slice takes for the address: its leading ones up to the first that an
      // earlier slice of the Service has (a duplicate, reported once whatever the number of ports).
      let taken = list.length;
      let fresh = false;
      for (let p = 0; p < list.length; p++) {
        const first = this.firstTaker(takers, list[p]);
        if (first === undefined) fresh = true;
        else if (first !== id) {
          this.duplicate(ref, value, i, j, ports[p], first);
          taken = p;
          break;
        }
      }
      if (!fresh || taken === 0) return;
      if (typeof takers === 'number') groupTakers.set(address, [takers, this.slicePorts[takers].length, id, taken]);
      else takers.push(id, taken);
    });
  }

  /** Reports address `j` of endpoint `i` as listed for `port` by slice number `other` before. */
  private duplicate(ref: R, value: string, i: number, j: number, port: PortKey, other: number): void {
    const data = { address: quote(value), port: showPort(port), other: quote(this.names[other]) };
    this.push(ref, this.finding(this.duplicates as ActiveRule, 'acrossSlices', pointer('endpoints', i, 'addresses', j), data));
  }

  /** Returns the number of the first slice that took `port` for an address, if any. */
  private firstTaker(takers: Takers, port: string): number | undefined {
    if (typeof takers === 'number') return this.indexIn(this.slicePorts[takers], port) !== -1 ? takers : undefined;
    for (let k = 0; k < takers.length; k += 2) {
      const at = this.indexIn(this.slicePorts[takers[k]], port);
      if (at !== -1 && at < takers[k + 1]) return takers[k];
    }
    return undefined;
  }

  /**
   * Returns the first index of `port` in a slice's port list, or -1. Long lists (a slice may have
   * 20,000 ports) are looked up through a map made once per list, so that a slice is not checked
   * in time quadratic in its ports.
   */
  private indexIn(list: string[], port: string): number {
    if (list.length <= 16) return list.indexOf(port);
    let index = this.portIndexes.get(list);
    if (!index) {
      index = new Map();
      for (let p = list.length - 1; p >= 0; p--) index.set(list[p], p);
      this.portIndexes.set(list, index);
    }
    return index.get(port) ?? -1;
  }

  /** Returns the cross-slice findings per slice reference (empty when there are none). */
  findings(services: ServiceLookup | undefined): Map<R, Finding[]> {
    if (this.ports && services) {
      for (const group of this.groupList) {
        const service = services.get(group.namespace, group.name);
        if (!service || !group.withEndpoints) continue;
        const seen = new Set<string>();
        const missing = service.ports.filter((p) => !group.covered.has(portId(p)) && !seen.has(portId(p)) && seen.add(portId(p)));
        if (missing.length === 0) continue;
        const shown = missing.map(showPort);
        const ports = `${shown.length === 1 ? 'port' : 'ports'} ${showList(shown)}`;
        for (const ref of group.refs) this.push(ref, this.finding(this.ports, 'uncovered', pointer('ports'), { service: service.name, ports }));
      }
    }
    return this.extra;
  }

  private push(ref: R, finding: Finding): void {
    const list = this.extra.get(ref);
    if (list) list.push(finding);
    else this.extra.set(ref, [finding]);
  }

  private finding(active: ActiveRule, messageId: string, at: string, data: Record<string, string | number>): Finding {
    const { meta } = active.rule;
    return {
      rule: meta.id,
      category: meta.category,
      severity: effectiveSeverity(this.policy, active),
      pointer: at,
      path: pointerToPath(at),
      message: fillTemplate(meta.messages[messageId], data),
      messageId,
    };
  }
}
