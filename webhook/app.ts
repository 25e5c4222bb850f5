/**
 * The express app behind the lean admission handler: health, readiness, metrics, and a JSON
 * answer for everything else. Admission POSTs never reach it (see http.ts).
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { internalError, statusAnswer, type HttpAnswer } from './admission.ts';
import type { WebhookMetrics } from './metrics.ts';

/** What the app needs to know about the server. */
export interface AppOptions {
  metrics: WebhookMetrics;
  /** Returns why the server is not ready (empty when it is). */
  notReady(): string[];
  /** True while shutting down: answers then close their connection. */
  draining(): boolean;
  /** Serve only /metrics (the separate `--metrics-port` listener). */
  metricsOnly?: boolean;
}

/** Returns the express app for every request that is not an admission POST. */
export function createApp(opts: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((_req: Request, res: Response, next: NextFunction) => {
    if (opts.draining()) res.set('Connection', 'close');
    next();
  });
  app.get('/metrics', async (_req: Request, res: Response) => {
    const text = await opts.metrics.registry.metrics();
    res.type(opts.metrics.registry.contentType).send(text);
  });
  if (!opts.metricsOnly) {
    // Liveness: the process answers. It stays 200 while draining, so that the kubelet does not
    // restart a pod that is finishing its reviews.
    app.get('/healthz', (_req: Request, res: Response) => {
      res.type('text/plain').send('ok\n');
    });
    app.get('/readyz', (_req: Request, res: Response) => {
      const reasons = opts.notReady();
      res.status(reasons.length === 0 ? 200 : 503).json(reasons.length === 0 ? { ready: true } : { ready: false, reasons });
    });
    app.all(['/validate', '/mutate'], (req: Request, res: Response) => {
      res.set('Allow', 'POST');
      send(res, statusAnswer(405, `${req.method} ${req.path} is not allowed; kube-apiserver sends POST with an AdmissionReview.`));
    });
  }
  app.use((req: Request, res: Response) => {
    send(res, statusAnswer(404, `No ${req.method} ${req.path} here; see docs/webhook.md for the endpoints.`));
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    send(res, statusAnswer(500, internalError(err)));
  });
  return app;
}

function send(res: Response, answer: HttpAnswer): void {
  res.status(answer.status).json(answer.body);
}
