import type { FastifyRequest } from 'fastify';

/**
 * The route config of a public post (写信, 信访, 提问, 留言, 评论): at most `perMinute` posts a minute per
 * writer — the signed-in account, else the address — on top of the site's per-address limit, answered
 * with 429 and Retry-After like it.
 *
 * The key is taken at preHandler, after the session is resolved, so that one account cannot post from
 * many addresses faster than this, and a shared address (an office behind one NAT) does not spend one
 * writer's allowance on another's posts beyond the site limit. Counters are per node (in memory); a
 * deployment behind a load balancer divides by its node count or moves the store to Redis.
 */
export function postLimit(perMinute: number) {
  return {
    max: perMinute,
    timeWindow: 60_000,
    hook: 'preHandler' as const,
    keyGenerator: (req: FastifyRequest) => (req.actor ? `post:${req.actor.id}` : `post:ip:${req.ip}`),
  };
}
