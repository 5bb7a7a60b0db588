// jest's runtime (jest-runtime, unchanged in every other respect) with V8's code cache kept per worker.
//
// jest gives every test file its own module registry, so each file compiles again every module it loads (cdktf, the
// provider's classes, protobufjs, the project's library): the same sources, compiled from scratch some hundred times
// per run. Node's own loader avoids most of that with V8's in-isolate compilation cache, which jest's
// vm.compileFunction calls miss (each carries its own importModuleDynamically callback). This runtime hands V8 the
// code cache it produced the first time the worker compiled the same file with the same source: V8 checks the cache
// against the source and rejects it on any mismatch, so a stale entry costs a compile, never a wrong module.
'use strict';

const vm = require('node:vm');
const Runtime = require('jest-runtime').default;

/** filename -> the transformed source compiled and V8's code cache for it (one worker, every test file). */
const codeCache = new Map();

class CodeCachingRuntime extends Runtime {
  createScriptFromCode(scriptSource, filename) {
    // jest-runtime calls vm.compileFunction through the module object: pass the cache for this one call.
    const compileFunction = vm.compileFunction;
    vm.compileFunction = (code, params, options) => {
      const cached = codeCache.get(filename);
      if (cached && cached.source === code) return compileFunction(code, params, { ...options, cachedData: cached.data });
      const fn = compileFunction(code, params, { ...options, produceCachedData: true });
      if (fn.cachedDataProduced) codeCache.set(filename, { source: code, data: fn.cachedData });
      return fn;
    };
    try {
      return super.createScriptFromCode(scriptSource, filename);
    } finally {
      vm.compileFunction = compileFunction;
    }
  }
}

module.exports = CodeCachingRuntime;
