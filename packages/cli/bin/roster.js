#!/usr/bin/env node
// Entry of the `roster` command: runs from any directory; paths are relative to the caller's.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv);
