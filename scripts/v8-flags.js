// V8 tuned for the project's processes, which are short: a build, a synth, one tool run, a test file. V8 hands a
// function to its optimizing compiler (TurboFan, on a background thread) after 3,000 calls (V8 12, Node 22; Node
// 20's V8 counts an interrupt budget instead). Most of the code these processes run is hot for a moment only, and
// compiling it cost more CPU than the optimized code saved: a full tsc build took 8.5-9.1 s of CPU, 6.4-6.6 s with
// TurboFan ten times later, and in less wall time; a warm synth 15 % less. Code that stays hot (tsc's checker, the
// simulator's loops) is still optimized, ten times later.
//
// One way to apply them everywhere: SHORT_RUN_NODE_ARGS, node's arguments that preload scripts/short-run.js, which
// sets them (tuneForShortRun). A preload also goes through NODE_OPTIONS, which refuses V8 flags themselves. The
// flags are chosen by V8's version: V8 rejects a flag it does not know, with a message on stderr.
'use strict';
const path = require('node:path');
const v8 = require('node:v8');

const V8_MAJOR = Number(process.versions.v8.split('.')[0]);

/** Node's command-line flags: TurboFan ten times later than V8's default. */
const SHORT_RUN_V8_FLAGS = V8_MAJOR >= 12 ? ['--invocation-count-for-turbofan=30000'] : ['--interrupt-budget=675840'];

/** Sets the flags in this process: for the code it has yet to run (V8 reads them as functions get hot). */
function tuneForShortRun() {
  for (const flag of SHORT_RUN_V8_FLAGS) v8.setFlagsFromString(flag);
}

/** Node's arguments that run a script with V8 tuned for a short run: the preload of scripts/short-run.js. */
const SHORT_RUN_NODE_ARGS = ['--require', path.join(__dirname, 'short-run.js')];

module.exports = { SHORT_RUN_V8_FLAGS, SHORT_RUN_NODE_ARGS, tuneForShortRun };
