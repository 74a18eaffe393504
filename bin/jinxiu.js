#!/usr/bin/env node
// The `jinxiu` command runs the TypeScript CLI under plain Node through tsx's loader, so the CLI
// always runs the same sources as the tests, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main/cli/index.ts');
process.exitCode = await main(process.argv);
