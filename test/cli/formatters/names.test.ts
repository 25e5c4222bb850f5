/** `--format` is checked against a list kept apart from the formatters (cli/formatters/names.ts). */
import { expect } from 'chai';
import { FORMATTERS, CHUNKED_FORMATTERS } from '../../../cli/formatters/index.ts';
import { FORMAT_NAMES, isFormatName } from '../../../cli/formatters/names.ts';

describe('format names', () => {
  it('are exactly the formatters, in the order the usage error lists them', () => {
    expect(Object.keys(FORMATTERS)).to.deep.equal([...FORMAT_NAMES]);
    for (const name of Object.keys(CHUNKED_FORMATTERS)) expect(FORMAT_NAMES).to.include(name);
  });

  it('accept only those names, not inherited ones', () => {
    for (const name of FORMAT_NAMES) expect(isFormatName(name), name).to.equal(true);
    for (const name of ['toString', 'constructor', '__proto__', 'JSON', 'yaml', '']) expect(isFormatName(name), name).to.equal(false);
  });
});
