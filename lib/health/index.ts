/**
 * `checkup/health`: health and environment endpoints for a Node service, without the rest of
 * checkup (no prom-client, no storage SDKs). Mount with node:http, Express or Fastify; see docs/serve.md.
 */
export { healthHandler, type HealthCheck, type HealthFunction, type HealthHandler, type HealthOptions, type HealthOutcome, type HealthReport, type HealthResult } from "./health.js";
export { environmentHandler, scrub, SCRUBBED, type EnvironmentHandler, type EnvironmentOptions, type Section } from "./environment.js";
