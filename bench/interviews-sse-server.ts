/**
 * The baseline of the interviews benchmark: a raw node:http server-sent-events fan-out with no
 * framework and no database. GET /live holds a viewer; POST /post sends one event, the same string
 * written to every viewer — the least a fan-out can cost, measured the same way as Yiwang's.
 */
import http from 'node:http';

const viewers = new Set<http.ServerResponse>();
let seq = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url?.startsWith('/live')) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write('retry: 3000\n\n');
    viewers.add(res);
    res.on('close', () => viewers.delete(res));
    return;
  }
  if (req.method === 'POST' && req.url === '/post') {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seq++;
      const text = Buffer.concat(chunks).toString('utf8');
      const message = `id: ${seq}\nevent: entry\ndata: ${JSON.stringify({ seq, kind: 'remark', text })}\n\n`;
      for (const v of viewers) v.write(message);
      res.end(JSON.stringify({ seq }));
    });
    return;
  }
  res.statusCode = req.url === '/' ? 200 : 404;
  res.end('ok');
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
const stop = () => {
  for (const v of viewers) v.end();
  server.close(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
