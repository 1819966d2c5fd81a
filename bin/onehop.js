#!/usr/bin/env node
// The `onehop` CLI host. It runs the TypeScript sources through tsx's loader, so `npx onehop`
// works right after `npm install` without a build step and without Electron.
import { register } from 'tsx/esm/api';

// `onehop hosts --json | head -1` closes the pipe early; that is no reason for a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// A namespaced registration transforms only what this file imports, and `tsconfig: false` skips
// the tsconfig lookup (faster start, same behaviour from any working directory).
const tsx = register({ namespace: 'onehop-cli', tsconfig: false });
const { main } = await tsx.import('../src/main/cli/main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
