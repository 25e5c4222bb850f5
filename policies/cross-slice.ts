/**
 * The checks that need all slices of a Service at once: `port-name-mismatch` (b), a Service port
 * that none of its slices with endpoints carries, and `duplicate-address` across slices. The CLI
 * feeds every judged slice through `add` while it streams the files; only a small summary per
 * Service is kept (its slices' covered ports and each (port, address) pair), never the documents.
 * The webhook sees one slice at a time and cannot make these checks.
 */
import type { Finding, ServiceLookup } from './types.ts';
import { activeRule, effectiveSeverity, isExempt, type ActiveRule, type Policy } from './policy.ts';
import { pointer, pointerToPath } from './pointer.ts';
import { fillTemplate, quote } from './format.ts';
import { isRecord } from './slice.ts';
import { addressKey, forEachAddress, hasEndpoints, labelOf, labelsOf, portId, portKeyOf, SERVICE_NAME_LABEL, showList, showPort, type PortKey } from './slice-policy.ts';

interface SliceSummary<R> {
  ref: R;
  exempt: boolean;
  covered: string[];
}

interface ServiceGroup<R> {
  namespace: string;
  name: string;
  /** Slices with endpoints, for `port-name-mismatch` (b). */
  slices: SliceSummary<R>[];
  /** port -> address -> the number of the first slice that has it (numbers stay small in memory). */
  addresses: Map<string, Map<string, number>>;
}

/** Collects per-Service summaries of slices and returns the cross-slice findings at the end. */
export class CrossSliceIndex<R> {
  private readonly policy: Policy;
  private readonly ports: ActiveRule | undefined;
  private readonly duplicates: ActiveRule | undefined;
  private readonly groups = new Map<string, ServiceGroup<R>>();
  private readonly extra = new Map<R, Finding[]>();
  /** Names of the slices that list addresses, by number. */
  private readonly names: string[] = [];

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
    const key = `${namespace}/${service}`;
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = { namespace, name: service, slices: [], addresses: new Map() }));
    const ports = (Array.isArray(slice.ports) ? slice.ports : []).map(portKeyOf).filter((p): p is PortKey => p !== undefined);
    const labels = labelsOf(slice);
    if (this.ports && hasEndpoints(slice)) {
      group.slices.push({ ref, exempt: isExempt(this.policy, this.ports, namespace, labels), covered: ports.map(portId) });
    }
    if (this.duplicates && ports.length > 0 && !isExempt(this.policy, this.duplicates, namespace, labels)) {
      this.addAddresses(slice, ports, group, ref);
    }
  }

  private addAddresses(slice: Readonly<Record<string, unknown>>, ports: PortKey[], group: ServiceGroup<R>, ref: R): void {
    const meta = isRecord(slice.metadata) ? slice.metadata : {};
    const id = this.names.push(typeof meta.name === 'string' ? meta.name : '(unnamed)') - 1;
    const byPort = ports.map((port) => {
      const key = portId(port);
      let map = group.addresses.get(key);
      if (!map) group.addresses.set(key, (map = new Map()));
      return map;
    });
    const addressType = slice.addressType;
    forEachAddress(slice, (value, i, j) => {
      const address = addressKey(addressType, value);
      for (let p = 0; p < ports.length; p++) {
        const first = byPort[p].get(address);
        if (first === undefined) byPort[p].set(address, id);
        else if (first !== id) {
          const data = { address: quote(value), port: showPort(ports[p]), other: quote(this.names[first]) };
          this.push(ref, this.finding(this.duplicates as ActiveRule, 'acrossSlices', pointer('endpoints', i, 'addresses', j), data));
          return; // one finding per address, whatever the number of ports
        }
      }
    });
  }

  /** Returns the cross-slice findings per slice reference (empty when there are none). */
  findings(services: ServiceLookup | undefined): Map<R, Finding[]> {
    if (this.ports && services) {
      for (const group of this.groups.values()) {
        const service = services.get(group.namespace, group.name);
        if (!service || group.slices.length === 0) continue;
        const covered = new Set(group.slices.flatMap((s) => s.covered));
        const seen = new Set<string>();
        const missing = service.ports.filter((p) => !covered.has(portId(p)) && !seen.has(portId(p)) && seen.add(portId(p)));
        if (missing.length === 0) continue;
        const shown = missing.map(showPort);
        const ports = `${shown.length === 1 ? 'port' : 'ports'} ${showList(shown)}`;
        for (const s of group.slices) {
          if (!s.exempt) this.push(s.ref, this.finding(this.ports, 'uncovered', pointer('ports'), { service: service.name, ports }));
        }
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
