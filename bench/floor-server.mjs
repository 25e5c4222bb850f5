// The webhook floor of `npm run bench`: a bare node:https server that reads the body, parses the
// JSON and answers with an AdmissionReview carrying the request's uid. Nothing else: no routing,
// no policy, no logging. Plain JavaScript, like the built sliceguard it is compared with.
// Usage: node bench/floor-server.mjs CERT KEY PORT
import { createServer } from 'node:https';
import { readFileSync } from 'node:fs';

const [cert, key, port] = process.argv.slice(2);
const server = createServer({ cert: readFileSync(cert), key: readFileSync(key) }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const review = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const body = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: review.request.uid, allowed: true } });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
