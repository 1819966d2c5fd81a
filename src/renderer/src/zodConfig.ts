/**
 * Must be the first import of main.tsx. zod compiles fast parsers with `new Function` and probes
 * for it when a schema is built; our CSP forbids eval, and the probe alone raises a
 * `securitypolicyviolation`. Jitless mode skips both, before the shared schemas are created.
 */
import { config } from 'zod';

config({ jitless: true });
