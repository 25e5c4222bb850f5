/** Builds the Service context of Service-aware rule tests. */
import type { EvalContext } from '../../policies/types.ts';
import { ServiceIndex, serviceInfoFrom } from '../../policies/services.ts';

/** Returns an evaluation context whose Service source holds exactly `services` (none: an empty source). */
export function withServices(...services: Record<string, unknown>[]): EvalContext {
  const index = new ServiceIndex();
  for (const s of services) {
    const info = serviceInfoFrom(s, 'default');
    if (!info) throw new Error('not a Service');
    index.set(info);
  }
  return { services: index };
}
