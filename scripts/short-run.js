// Preloaded (`node --require scripts/short-run.js`, or through NODE_OPTIONS): V8 tuned for a short run in this
// process (scripts/v8-flags.js).
'use strict';
require('./v8-flags').tuneForShortRun();
