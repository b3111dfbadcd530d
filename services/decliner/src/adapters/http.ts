import type { RequestListener } from 'node:http';
import { createServiceApp, type Logger, type Readiness } from '@sitter/platform';
import { PROMETHEUS_CONTENT_TYPE, type MetricsRegistry } from './metrics';

/**
 * The decliner's HTTP side: `/healthz`, `/readyz` (the platform's) and `/metrics` in Prometheus
 * text. It serves no operations: nothing calls the decliner.
 */
export const declinerHttp = (logger: Logger, registry: MetricsRegistry, readiness: Readiness): RequestListener => {
  const service = createServiceApp(logger, [], readiness);
  return (req, res) => {
    if (req.method === 'GET' && (req.url ?? '').split('?')[0] === '/metrics') {
      res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE });
      res.end(registry.render());
      return;
    }
    service(req, res);
  };
};
