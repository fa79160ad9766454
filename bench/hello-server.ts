/**
 * The baseline server: a bare Fastify hello-world, no plugins, no logger, on PORT at 127.0.0.1.
 * Spawned by bench/http.ts as its own process, exactly as the Yiwang server is.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
const stop = async () => {
  await app.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
