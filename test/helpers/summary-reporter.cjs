// A mocha reporter: the spec reporter on the console, plus a JSON summary for .ci/run when
// SLICEGUARD_MOCHA_SUMMARY names a file.
const Mocha = require('mocha');
const fs = require('node:fs');
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const file = process.env.SLICEGUARD_MOCHA_SUMMARY;
      if (file) fs.writeFileSync(file, JSON.stringify({ passes: runner.stats.passes, failures: runner.stats.failures, pending: runner.stats.pending }));
    });
  }
}
module.exports = SummaryReporter;
