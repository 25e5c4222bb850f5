// The offline floor of `npm run bench`: read every .yaml/.yml/.json file under the given paths as
// `sliceguard validate` finds them (recursively, sorted by name) and run js-yaml 4.1 `loadAll` on
// each. Nothing else. Prints the number of documents. Plain JavaScript: type stripping would add
// start-up time that the built CLI does not pay.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';

let documents = 0;
const visit = (path) => {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) visit(join(path, name));
  } else if (/\.(ya?ml|json)$/i.test(path)) {
    documents += yaml.loadAll(readFileSync(path, 'utf8')).length;
  }
};
for (const path of process.argv.slice(2)) visit(path);
process.stdout.write(`${documents}\n`);
