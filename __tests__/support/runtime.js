// jest's runtime (jest-runtime, unchanged in every other respect) with V8's code cache kept per worker and on disk.
//
// jest gives every test file its own module registry, so each file compiles again every module it loads (cdktf, the
// provider's classes, protobufjs, the project's library): the same sources, compiled from scratch some hundred times
// per run. Node's own loader avoids most of that with V8's in-isolate compilation cache, which jest's
// vm.compileFunction calls miss (each carries its own importModuleDynamically callback). This runtime hands V8 the
// code cache of an earlier compile of the same source: the worker's own first compile, or a previous run's, kept in
// node_modules/.cache/jest-v8-code-cache/ under a hash of the file's name and its transformed source. V8 itself checks
// little more than the source's length, so an entry is used only for the very source it was made from (the same
// string in memory, the same hash on disk), and with the same wrapper parameters (V8 does not check those either:
// jest's injected globals are part of the key); V8 rejects a cache of another Node version or V8 flags, and a rejected
// cache costs a compile, never a wrong module. `jest --no-cache` keeps it in memory only. Under
// --experimental-vm-modules the cache is not used: V8 drops the dynamic-import callback of a function compiled from a
// cache, and `import()` in the module would fail.
'use strict';

const { Buffer } = require('node:buffer');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Runtime = require('jest-runtime').default;

/** One directory per Node version and V8 flags (a cache made under other flags, e.g. another heap size, is rejected). */
const FLAGS = crypto
  .createHash('sha1')
  .update([process.execArgv.join(' '), process.env.NODE_OPTIONS ?? ''].join('\0'))
  .digest('hex')
  .slice(0, 12);
/** import() in a function compiled from a cache loses jest's callback (see above): no cache where it could work. */
const VM_MODULES = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('--experimental-vm-modules'));
const CACHE_ROOT = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'jest-v8-code-cache');
const CACHE_DIR = path.join(CACHE_ROOT, `${process.version}-${process.arch}-${FLAGS}`);
/** About six full sets (~1,700 entries each): past that, most entries are of sources since edited, or of another Node. */
const CACHE_MAX_ENTRIES = 10000;

/** filename -> the transformed source and wrapper parameters compiled, and V8's code cache for them (one worker). */
const inMemory = new Map();

const diskPath = (filename, params, code) =>
  path.join(CACHE_DIR, crypto.createHash('sha1').update(filename).update('\0').update(params).update('\0').update(code).digest('hex'));

function readDisk(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Written under a temporary name and renamed: another worker never reads half a file. */
function writeDisk(file, data) {
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, data);
    fs.renameSync(partial, file);
  } catch {
    // The disk copy only saves a later run a compile.
  }
}

class CodeCachingRuntime extends Runtime {
  createScriptFromCode(scriptSource, filename) {
    if (VM_MODULES) return super.createScriptFromCode(scriptSource, filename);
    const useDisk = this._config.cache !== false;
    // jest-runtime calls vm.compileFunction through the module object: pass the cache for this one call.
    const compileFunction = vm.compileFunction;
    vm.compileFunction = (code, params, options) => {
      const wrapper = params.join(',');
      const cached = inMemory.get(filename);
      if (cached && cached.source === code && cached.wrapper === wrapper) return compileFunction(code, params, { ...options, cachedData: cached.data });
      const file = useDisk ? diskPath(filename, wrapper, code) : undefined;
      const fromDisk = file && readDisk(file);
      if (fromDisk) {
        const fn = compileFunction(code, params, { ...options, cachedData: fromDisk });
        if (!fn.cachedDataRejected) {
          inMemory.set(filename, { source: code, wrapper, data: fromDisk });
          return fn;
        }
        // Rejected (made by another V8 build or flags than the directory says): compiled anew below, and replaced.
      }
      const fn = compileFunction(code, params, { ...options, produceCachedData: true });
      if (fn.cachedDataProduced) {
        // A copy: the Buffer V8 hands back belongs to the test file's context (its prototype chain is that context's),
        // and holding it would keep the whole context, with every module the file loaded, alive for the worker's life.
        const data = Buffer.from(fn.cachedData);
        inMemory.set(filename, { source: code, wrapper, data });
        if (file) writeDisk(file, data);
      }
      return fn;
    };
    try {
      return super.createScriptFromCode(scriptSource, filename);
    } finally {
      vm.compileFunction = compileFunction;
    }
  }
}

/** Bounds the disk cache (an edit adds an entry per changed module): called by the global teardown. */
CodeCachingRuntime.pruneCodeCache = function pruneCodeCache() {
  try {
    let entries = 0;
    for (const dir of fs.existsSync(CACHE_ROOT) ? fs.readdirSync(CACHE_ROOT) : []) entries += fs.readdirSync(path.join(CACHE_ROOT, dir)).length;
    if (entries > CACHE_MAX_ENTRIES) fs.rmSync(CACHE_ROOT, { recursive: true, force: true });
  } catch {
    // Another run removed it meanwhile: nothing to bound.
  }
};

module.exports = CodeCachingRuntime;
