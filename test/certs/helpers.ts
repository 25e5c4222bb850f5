/** Shared set-up of the certificate tests. */
import type { Io } from '../../cli/io.ts';
import { FakeKubeApi } from '../helpers/fake-kube-api.ts';

/** Returns an Io that records output, and the recorded text. */
export function captureIo(cwd: string, env: Record<string, string | undefined> = {}): { io: Io; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { cwd, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), readStdin: () => '', stdoutIsTTY: false, env } };
}

/** The webhook fields the fake configurations carry besides name and caBundle. */
export const WEBHOOK = { clientConfig: { service: { name: 'sg', namespace: 'sg-system', path: '/validate' } }, sideEffects: 'None', admissionReviewVersions: ['v1'], failurePolicy: 'Fail' };

/** A fake API with sg-validating (two webhooks) and sg-mutating (one). */
export async function startFake(): Promise<FakeKubeApi> {
  const fake = new FakeKubeApi();
  await fake.start();
  fake.put('validatingwebhookconfigurations', { metadata: { name: 'sg-validating' }, webhooks: [{ name: 'a.sliceguard.dev', ...WEBHOOK }, { name: 'b.sliceguard.dev', ...WEBHOOK }] });
  fake.put('mutatingwebhookconfigurations', { metadata: { name: 'sg-mutating' }, webhooks: [{ name: 'm.sliceguard.dev', ...WEBHOOK, reinvocationPolicy: 'Never' }] });
  return fake;
}
