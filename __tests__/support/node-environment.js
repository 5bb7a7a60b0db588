// jest's node environment (jest-environment-node, unchanged in every other respect) with the test files' global
// object an ordinary object instead of a contextified one.
//
// jest runs each test file in a vm context made from a sandbox object (vm.createContext(sandbox)). On such a context
// V8 resolves every global name (Array, Object, Math, JSON, Date, Map...) through Node's interceptors on the sandbox:
// a global lookup costs about 40 times what it costs in plain Node (measured: 2 million `Array.isArray` plus
// `Object.prototype.hasOwnProperty` calls, 0.8 s against 0.02 s). The code under test does such lookups in its hot
// loops (the log evaluator, the simulator, the lint, cdktf), so the same computation was several times slower under
// jest than in the CLI. vm.constants.DONT_CONTEXTIFY (Node >= 20.18 and >= 22.8) makes the context's global an
// ordinary object: global lookups at plain-Node speed. It is still a separate context (its own Array, Object, Error,
// its own globals), as before; older Node versions keep jest's default (same results, slower).
// One thing jest 30 no longer does with it: its GlobalProxy (the sandbox it would contextify) records the globals a
// test file sets and deletes them at teardown; with the plain global that cleanup is skipped. The context is
// discarded with its file all the same, so only memory held until then is at stake, never a result.
//
// It also disables, when a test file ends, the AsyncLocalStorage instances that file enabled. jest-circus runs every
// test inside an AsyncLocalStorage of its own adapter, which jest loads anew for each test file, and never disables
// it; Node (before its async-context frames) keeps every enabled instance in one list for the process and calls each
// of them whenever any promise is created. A worker that had run 50 files made 50 such calls per promise, in every
// later file: about a second of CPU a run. disable() is the public way to let an instance go ("allows the instance
// to be garbage collected", Node's documentation); once its file has ended nothing reads it.
'use strict';

const { AsyncLocalStorage } = require('node:async_hooks');
const path = require('node:path');
const vm = require('node:vm');
const { TestEnvironment } = require('jest-environment-node');
const { CACHE, boundCache } = require('./caches');

/** Node's compile cache of the processes the tests start (unless the user's NODE_COMPILE_CACHE says otherwise). */
const COMPILE_CACHE = path.join(CACHE, 'node-compile-cache');
/**
 * Node keeps an entry per module path, and the tests run copies of the project from temporary directories: each run
 * added ~530 entries (~3 MB) that no later run reads, on top of the ~3,300 a run uses (measured on Node 22: 3,285
 * after one run from empty, 3,813 after two; one machine's cache had grown to 52,000 entries and 317 MB). Over this
 * many, the global teardown removes the cache, and the next run writes what it uses again.
 */
const COMPILE_CACHE_MAX_ENTRIES = 10000;

/** The AsyncLocalStorage instances enabled since the current test file began (one file at a time per worker). */
const enabledStorages = new Set();
for (const method of ['run', 'enterWith']) {
  const original = AsyncLocalStorage.prototype[method];
  AsyncLocalStorage.prototype[method] = function trackEnabled(...args) {
    enabledStorages.add(this);
    return original.apply(this, args);
  };
}

class PlainGlobalEnvironment extends TestEnvironment {
  constructor(config, context) {
    // Node 22's compile cache for the processes the tests start: tsc and prettier switch it on themselves
    // (module.enableCompileCache()), and without NODE_COMPILE_CACHE it went to os.tmpdir()/node-compile-cache, the
    // run's temporary directory, whose leftover check then failed every run on Node 22 (CI's version). Kept in
    // node_modules/.cache, it also lasts from one run to the next and serves the app, the CLIs and the cdktf CLI. Set
    // here, in the worker, after it started: a worker with its own compile cache writes it out when it exits, which
    // took it 0.3-0.45 s (0.2 s without), close to the 0.5 s jest-worker allows before "failed to exit gracefully".
    // Node 20 has no compile cache and ignores the variable.
    process.env.NODE_COMPILE_CACHE ||= COMPILE_CACHE;
    const plain = vm.constants && vm.constants.DONT_CONTEXTIFY;
    const createContext = vm.createContext;
    // jest-environment-node calls vm.createContext(its sandbox proxy) once, in its constructor.
    if (plain) vm.createContext = () => createContext(plain);
    try {
      super(config, context);
    } finally {
      vm.createContext = createContext;
    }
  }

  async teardown() {
    await super.teardown();
    for (const storage of enabledStorages) storage.disable();
    enabledStorages.clear();
  }
}

/** Bounds the compile cache (see COMPILE_CACHE_MAX_ENTRIES): called by the global teardown. */
PlainGlobalEnvironment.pruneCompileCache = (dir = COMPILE_CACHE, maxEntries = COMPILE_CACHE_MAX_ENTRIES) => boundCache(dir, maxEntries);

module.exports = PlainGlobalEnvironment;
