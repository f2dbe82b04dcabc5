#!/usr/bin/env node
// Entry of the `roster` command: runs from any directory; paths are relative to the caller's.
// bundle/ is the CLI with the workspace packages and their dependencies (packages/cli/scripts/bundle.js).
import { main } from '../bundle/main.js';

process.exitCode = await main(process.argv);
