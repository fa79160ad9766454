/**
 * identity — accounts, sessions, roles and the policy that decides every access (coming in steps).
 * Today: the public identifier checks (GB 11643 citizen ID, GB 32100 credit code).
 */
import type { FastifyInstance } from 'fastify';
import { identifierRoutes } from './identifiers.routes.ts';

export function createIdentityModule() {
  return {
    async routes(app: FastifyInstance) {
      await identifierRoutes(app);
    },
  };
}

export type IdentityModule = ReturnType<typeof createIdentityModule>;
