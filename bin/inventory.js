#!/usr/bin/env node
// The `inventory` command. TypeScript sources run through tsx's require hook, so the CLI, the
// worker and the dev stack execute the same files the tests do.
'use strict';
require('tsx/cjs');
require('../cli/main.ts');
