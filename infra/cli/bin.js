#!/usr/bin/env node
// The `config-ledger` executable: runs the TypeScript sources through tsx, without a build step.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
