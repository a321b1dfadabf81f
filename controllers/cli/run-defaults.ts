/**
 * `run`'s defaults that its option help shows. Here, not beside the code using them (observability.ts,
 * leader.ts), so that defining the commands does not load that code — or node:http — for every command.
 */
export const DEFAULT_METRICS_ADDRESS = '127.0.0.1:8080';
export const DEFAULT_PROBE_ADDRESS = '127.0.0.1:8081';
export const DEFAULT_LEASE_NAME = 'ecsplane-bridge';
