// cdktf (and constructs) capture the complete stack of every token and construct they create, on a plain object, and
// read it at once (cdktf/lib/tokens/private/stack-trace.js: Error.captureStackTrace({ stack: '' }) with no depth
// limit). Under jest, source-map-support formats each of those stacks through the source maps (cdktf ships them
// inline): about half of an in-process synth's time. Those stacks only feed cdktf's own messages about misused
// tokens; here they are formatted the way plain Node formats them, without source maps.
// Only such plain objects are formatted this way: every Error's stack (a failing test, an error thrown by the code
// under test) is still source-mapped.
// A setupFilesAfterEnv module: jest installs source-map-support after setupFiles, before these run.
'use strict';

const mapped = Error.prepareStackTrace;
if (typeof mapped === 'function') {
  Error.prepareStackTrace = function prepareStackTrace(error, frames) {
    if (error === null || typeof error !== 'object' || Object.getPrototypeOf(error) !== Object.prototype) return mapped(error, frames);
    return ['Error', ...frames.map((frame) => `    at ${frame}`)].join('\n');
  };
}
