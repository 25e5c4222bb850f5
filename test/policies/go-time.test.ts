import { describe, it } from 'mocha';
import { expect } from 'chai';
import { isGoRfc3339, isZeroTime, parseGoTime } from '../../policies/go-time.ts';

describe("Go's time.Parse(time.RFC3339) (policies/go-time.ts)", () => {
  it('reads instants with offsets and fractions', () => {
    expect(parseGoTime('1970-01-01T00:16:40Z')).to.deep.equal({ seconds: 1000, fraction: '' });
    expect(parseGoTime('1970-01-01T01:16:40+01:00')).to.deep.equal({ seconds: 1000, fraction: '' });
    expect(parseGoTime('1970-01-01T00:16:40.500Z')).to.deep.equal({ seconds: 1000, fraction: '5' });
    expect(parseGoTime('0001-01-01T00:00:00Z')?.seconds).to.equal(-62135596800);
  });

  it("accepts what Go's fallback layout parser accepts", () => {
    for (const t of ['2024-05-01T1:00:00Z', '2024-05-01T10:00:00,5Z', '2024-05-01T10:00:00+24:00', '2024-02-29T00:00:00Z', '2000-02-29T00:00:00Z']) expect(isGoRfc3339(t), t).to.equal(true);
  });

  it('refuses what Go refuses', () => {
    for (const t of ['', '2024-05-01', '2024-05-01T10:00Z', '2024-05-01t10:00:00Z', '2024-05-01T10:00:00z', '1900-02-29T00:00:00Z', '2024-04-31T00:00:00Z', '2024-05-01T10:00:00+25:00', '2024-05-01T10:00:00+01:61', '24-05-01T10:00:00Z', ' 2024-05-01T10:00:00Z']) {
      expect(isGoRfc3339(t), t).to.equal(false);
    }
  });

  it('treats absent, null and the zero time as unset', () => {
    expect(isZeroTime(undefined)).to.equal(true);
    expect(isZeroTime(null)).to.equal(true);
    expect(isZeroTime('0001-01-01T00:00:00Z')).to.equal(true);
    expect(isZeroTime('0001-01-01T00:00:00.1Z')).to.equal(false);
    expect(isZeroTime('2024-05-01T10:00:00Z')).to.equal(false);
  });
});
