import { expect } from 'chai';
import { CHART, FULLNAME, helmWithValues, NAMESPACE, RELEASE } from './render.ts';
import { SCENARIOS } from './scenarios.ts';

/** Returns NOTES.txt as `helm install --dry-run=client` prints it (no cluster involved). */
function notes(values: object = {}): string {
  const result = helmWithValues(
    ['install', RELEASE, CHART, '--namespace', NAMESPACE, '--dry-run=client'],
    values,
  );
  expect(result.status, result.stderr).to.equal(0);
  return result.stdout.slice(result.stdout.indexOf('NOTES:'));
}

describe('chart: NOTES.txt', () => {
  it('says what was installed, what never reaches the webhook, and how to check it', () => {
    const text = notes();
    expect(text).to.contain(`ValidatingWebhookConfiguration/${FULLNAME}-validating   failurePolicy Fail, timeout 5s`);
    expect(text).to.contain(`MutatingWebhookConfiguration/${FULLNAME}-mutating`);
    expect(text).to.contain(`Certificates: self-signed (Secret ${FULLNAME}-tls), renewed by CronJob/${FULLNAME}-certs`);
    expect(text).to.contain(`namespaces: kube-system, ${NAMESPACE}`);
    expect(text).to.contain('users:      system:serviceaccount:kube-system:endpointslice-controller');
    expect(text).to.contain(`helm test ${RELEASE} -n ${NAMESPACE}`);
    expect(text).to.contain(`removes the webhook configurations first.`);
    expect(text).to.not.contain('WARNING');
  });

  it('warns when matchConditions are off and failurePolicy is Fail', () => {
    const text = notes(SCENARIOS['matchConditions off']);
    expect(text).to.contain('WARNING: webhook.matchConditions.enabled is false');
    expect(text).to.contain('set webhook.failurePolicy=Ignore');
  });

  it('non-default: no mutating webhook, cache off, Helm-only uninstall order', () => {
    const text = notes(SCENARIOS['non-default']);
    expect(text).to.not.contain('MutatingWebhookConfiguration');
    expect(text).to.contain('Service cache: off');
    expect(text).to.contain('namespaces: kube-system, monitoring, ' + NAMESPACE);
    expect(text).to.contain('(Helm 3.18+ only: uninstall.deleteWebhookConfigurations is off)');
  });
});
