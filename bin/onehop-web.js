#!/usr/bin/env node
// Browser-mode host launcher: runs the TypeScript sources through tsx (no build of the core needed).
import { register } from 'tsx/esm/api';

register();
await import('../src/main/web/main.ts');
