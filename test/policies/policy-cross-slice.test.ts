import { expect } from 'chai';
import { CrossSliceIndex } from '../../policies/cross-slice.ts';
import { createPolicy } from '../../policies/policy.ts';
import type { ServiceLookup } from '../../policies/types.ts';
import { service, slice } from '../helpers/fixtures.ts';
import { withServices } from '../helpers/services.ts';

const svc = service({ name: 'api', ports: [{ name: 'http', port: 80 }, { name: 'grpc', port: 9090 }, { name: 'metrics', port: 9100 }] });
const part = (name: string, ports: unknown[], addresses: string[], labels: Record<string, string> = {}) =>
  slice({ metadata: { name }, labels: { 'kubernetes.io/service-name': 'api', ...labels }, ports, endpoints: addresses.map((a) => ({ addresses: [a] })) });

function run(slices: Record<string, unknown>[], config = {}, source: ServiceLookup | null = withServices(svc).services ?? null) {
  const services = source ?? undefined;
  const index = new CrossSliceIndex<string>(createPolicy(config));
  for (const s of slices) index.add(s, 'default', (s.metadata as { name: string }).name);
  const out: Record<string, string[]> = {};
  for (const [ref, findings] of index.findings(services)) out[ref] = findings.map((f) => `${f.rule} ${f.pointer} ${f.severity}: ${f.message}`);
  return out;
}

describe('cross-slice checks', () => {
  it('finds nothing when the slices together carry every Service port', () => {
    expect(run([part('a', [{ name: 'http' }], ['10.0.0.1']), part('b', [{ name: 'grpc' }, { name: 'metrics' }], ['10.0.0.1'])])).to.deep.equal({});
  });

  it('reports a Service port that no slice with endpoints carries, on each of those slices', () => {
    const got = run([part('a', [{ name: 'http' }], ['10.0.0.1']), part('b', [{ name: 'grpc' }], ['10.0.0.2']), part('c', [{ name: 'metrics' }], [])]);
    const message = 'port-name-mismatch /ports deny: No slice of Service api with endpoints has port "metrics"/TCP, so traffic to it finds no backend.';
    expect(got).to.deep.equal({ a: [message], b: [message] });
  });

  it('lists several missing ports in one finding', () => {
    expect(run([part('a', [{ name: 'http' }], ['10.0.0.1'])]).a).to.deep.equal([
      'port-name-mismatch /ports deny: No slice of Service api with endpoints has ports "grpc"/TCP, "metrics"/TCP, so traffic to it finds no backend.',
    ]);
  });

  it('needs the Service: silent without a Service source or when the Service is unknown', () => {
    expect(run([part('a', [{ name: 'http' }], ['10.0.0.1'])], {}, null)).to.deep.equal({});
    expect(run([part('a', [{ name: 'http' }], ['10.0.0.1'])], {}, withServices().services)).to.deep.equal({});
  });

  it('reports the same address for the same port across slices, on the later slice', () => {
    const slices = [part('a', [{ name: 'http' }, { name: 'grpc' }, { name: 'metrics' }], ['10.0.0.1', '10.0.0.2']), part('b', [{ name: 'http' }], ['10.0.0.3', '010.0.0.2'])];
    expect(run(slices)).to.deep.equal({
      b: ['duplicate-address /endpoints/1/addresses/0 warn: Address "010.0.0.2" for port "http"/TCP is also in slice "a" of the same Service.'],
    });
  });

  it('does not count the same address for different ports (the mirroring controller splits subsets so)', () => {
    expect(run([part('a', [{ name: 'http' }, { name: 'metrics' }], ['10.0.0.1']), part('b', [{ name: 'grpc' }], ['10.0.0.1'])])).to.deep.equal({});
  });

  it('follows the policy: off, exemptions and strict', () => {
    const slices = [part('a', [{ name: 'http' }], ['10.0.0.1']), part('b', [{ name: 'http' }], ['10.0.0.1'], { skip: 'yes' })];
    expect(run(slices, { rules: { 'port-name-mismatch': 'off', 'duplicate-address': 'off' } })).to.deep.equal({});
    const exempt = { exemptions: [{ selector: { matchLabels: { skip: 'yes' } } }] };
    expect(Object.keys(run(slices, exempt))).to.deep.equal(['a']);
    expect(run(slices, { strict: true, rules: { 'port-name-mismatch': 'off' } }).b[0]).to.match(/^duplicate-address \S+ deny:/);
  });

  // Who an address is reported against when the slices' port lists overlap only in part: the
  // first slice that had the address for that port, and a slice stops taking ports at the first
  // port it collides on (one finding per address).
  const dup = (name: string, port: string, address: string, other: string, ep = 0) =>
    `duplicate-address /endpoints/${ep}/addresses/0 warn: Address "${address}" for port "${port}"/TCP is also in slice "${other}" of the same Service.`;
  const only = (got: Record<string, string[]>) => Object.fromEntries(Object.entries(got).map(([k, v]) => [k, v.filter((m) => m.startsWith('duplicate'))]).filter(([, v]) => v.length > 0));
  const cases: [string, Record<string, unknown>[], Record<string, string[]>][] = [
    ['a later slice is reported against the slice that had the port first',
      [part('a', [{ name: 'http' }], ['10.0.0.1']), part('b', [{ name: 'grpc' }], ['10.0.0.1']), part('c', [{ name: 'grpc' }, { name: 'http' }], ['10.0.0.1'])],
      { c: [dup('c', 'grpc', '10.0.0.1', 'b')] }],
    ['a slice that collides on its first port takes none of the others',
      [part('a', [{ name: 'http' }], ['10.0.0.1']), part('b', [{ name: 'http' }, { name: 'grpc' }], ['10.0.0.1']), part('c', [{ name: 'grpc' }], ['10.0.0.1'])],
      { b: [dup('b', 'http', '10.0.0.1', 'a')] }],
    ['a slice takes the ports before its collision, and is reported against for them',
      [part('a', [{ name: 'grpc' }], ['10.0.0.1']), part('b', [{ name: 'http' }, { name: 'grpc' }, { name: 'metrics' }], ['10.0.0.1']), part('c', [{ name: 'http' }], ['10.0.0.1']), part('d', [{ name: 'metrics' }], ['10.0.0.1'])],
      { b: [dup('b', 'grpc', '10.0.0.1', 'a')], c: [dup('c', 'http', '10.0.0.1', 'b')] }],
    ['the same address twice in one slice is not a cross-slice duplicate, and a collision is reported for each',
      [part('a', [{ name: 'http' }], ['10.0.0.1']), part('b', [{ name: 'http' }], ['10.0.0.1', '10.0.0.1']), part('c', [{ name: 'grpc' }], ['10.0.0.2', '10.0.0.2'])],
      { b: [dup('b', 'http', '10.0.0.1', 'a'), dup('b', 'http', '10.0.0.1', 'a', 1)] }],
  ];
  for (const [name, slices, want] of cases) {
    it(`duplicates across slices: ${name}`, () => {
      expect(only(run(slices))).to.deep.equal(want);
    });
  }

  it('keeps Services apart: the same address in slices of two Services is no duplicate', () => {
    const other = (name: string) => slice({ metadata: { name }, labels: { 'kubernetes.io/service-name': 'web' }, ports: [{ name: 'http' }], endpoints: [{ addresses: ['10.0.0.1'] }] });
    expect(only(run([part('a', [{ name: 'http' }], ['10.0.0.1']), other('w1'), part('b', [{ name: 'http' }], ['10.0.0.1']), other('w2')]))).to.deep.equal({
      b: [dup('b', 'http', '10.0.0.1', 'a')],
      w2: [dup('w2', 'http', '10.0.0.1', 'w1')],
    });
  });

  it('reads long port lists the same way (looked up through a map past 16 ports)', () => {
    const many = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => ({ name: `p${from + k}` }));
    // b takes p20..p29 before colliding with a on p30; c then collides with b on p25.
    const got = only(run([part('a', many(30, 50), ['10.0.0.1']), part('b', [...many(20, 30), ...many(30, 50)], ['10.0.0.1']), part('c', many(25, 26), ['10.0.0.1'])]));
    expect(got).to.deep.equal({ b: [dup('b', 'p30', '10.0.0.1', 'a')], c: [dup('c', 'p25', '10.0.0.1', 'b')] });
  });
});
