#!/usr/bin/env node
// Run rtdl's portable tests on real MicroPython (the WebAssembly port, npm package
// @micropython/micropython-webassembly-pyscript, pinned in package.json) under Node.
//
//   node tests/mpy/run_portable.mjs [--frozen DIR] [--tests DIR] [--test NAME]...
//                                   [--heapsize BYTES] [--script FILE] [DATA_PATH ...]
//
// The device side is imported ONLY as frozen bytecode: every DIR/**/*.mpy (default build/frozen,
// made by `make frozen`) goes to /lib; no port/modules .py exists in MicroPython's filesystem.
// tests/portable/*.py (harness + test_*.py) go to /tests. Each DATA_PATH goes to /data: a file
// as /data/<basename>, a directory's contents recursively under /data/.
// harness.main() prints PASS/FAIL lines and "N passed, N failed"; exit status 0 only when
// nothing failed and something passed (1: test failures, 2: load or set-up error).
// --script FILE runs the portable script FILE (e.g. tests/portable/agreement.py) as __main__
// instead of the tests, with the same /lib, /tests and /data; exit status 0 when it ran to
// the end, 2 when it raised.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMicroPython } from '@micropython/micropython-webassembly-pyscript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MPY_HEADER = [0x4d, 0x06];   // 'M', mpy major version 6

function die(msg) {
  process.stderr.write(`run_portable: ${msg}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    frozen: path.join(ROOT, 'build', 'frozen'),
    tests: path.join(ROOT, 'tests', 'portable'),
    modules: path.join(ROOT, 'port', 'modules'),
    heapsize: 32 * 1024 * 1024,
    select: [],
    data: [],
    script: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) die(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--frozen') opts.frozen = path.resolve(value());
    else if (a === '--tests') opts.tests = path.resolve(value());
    else if (a === '--test') opts.select.push(value());
    else if (a === '--heapsize') opts.heapsize = parseInt(value(), 10);
    else if (a === '--data') opts.data.push(path.resolve(value()));
    else if (a === '--script') opts.script = path.resolve(value());
    else if (a === '-h' || a === '--help') {
      process.stdout.write(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8')
        .split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n') + '\n');
      process.exit(0);
    } else if (a.startsWith('-')) die(`unknown option ${a}`);
    else opts.data.push(path.resolve(a));
  }
  return opts;
}

function mkdirs(FS, dir) {
  let cur = '';
  for (const part of dir.split('/').filter(Boolean)) {
    cur += '/' + part;
    if (!FS.analyzePath(cur).exists) FS.mkdir(cur);
  }
}

function copyIn(FS, hostPath, fsPath) {
  const st = fs.statSync(hostPath);
  if (st.isDirectory()) {
    mkdirs(FS, fsPath);
    let n = 0;
    for (const name of fs.readdirSync(hostPath).sort()) {
      n += copyIn(FS, path.join(hostPath, name), fsPath + '/' + name);
    }
    return n;
  }
  FS.writeFile(fsPath, fs.readFileSync(hostPath));
  return 1;
}

function hostFiles(dir, rel) {
  let out = [];
  for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
    const r = rel ? rel + '/' + name : name;
    if (fs.statSync(path.join(dir, r)).isDirectory()) out = out.concat(hostFiles(dir, r));
    else out.push(r);
  }
  return out;
}

function walkFS(FS, dir, out) {
  for (const name of FS.readdir(dir)) {
    if (name === '.' || name === '..') continue;
    const p = (dir === '/' ? '' : dir) + '/' + name;
    if (p === '/dev' || p === '/proc') continue;
    if (FS.isDir(FS.stat(p).mode)) walkFS(FS, p, out);
    else out.push(p);
  }
  return out;
}

// A Python string literal for a JS string (ASCII-safe; JSON escapes are valid Python escapes
// for the characters that matter here).
const pyStr = (s) => JSON.stringify(s);

async function main() {
  const opts = parseArgs(process.argv.slice(2));

  // --- what goes in -------------------------------------------------------------------------
  if (!fs.existsSync(opts.frozen)) die(`${opts.frozen}: no frozen modules (run \`make frozen\`)`);
  // Relative paths: rtdl_device/kernel.mpy is the package's module, dlmodule.mpy a top-level one.
  const mpys = hostFiles(opts.frozen, '').filter((n) => n.endsWith('.mpy')).sort();
  if (mpys.length === 0) die(`${opts.frozen}: no .mpy files (run \`make frozen\`)`);
  for (const n of mpys) {
    const head = fs.readFileSync(path.join(opts.frozen, n)).subarray(0, 2);
    if (head[0] !== MPY_HEADER[0] || head[1] !== MPY_HEADER[1]) {
      die(`${n}: not an mpy v6 file (header ${Buffer.from(head).toString('hex')})`);
    }
  }
  const testFiles = fs.readdirSync(opts.tests).filter((n) => n.endsWith('.py')).sort();
  if (!testFiles.includes('harness.py')) die(`${opts.tests}: harness.py missing`);
  for (const d of opts.data) if (!fs.existsSync(d)) die(`${d}: data path does not exist`);
  if (opts.script && !fs.existsSync(opts.script)) die(`${opts.script}: script does not exist`);
  const scriptSource = opts.script ? fs.readFileSync(opts.script, 'utf8') : null;

  const portModules = new Set(
    fs.existsSync(opts.modules)
      ? hostFiles(opts.modules, '').filter((n) => n.endsWith('.py') && !n.endsWith('__init__.py'))
        .map((n) => path.posix.basename(n).slice(0, -3))
      : []);
  for (const n of testFiles) {
    if (portModules.has(n.slice(0, -3))) die(`tests/portable/${n} shadows port/modules/${n}`);
  }

  // --- MicroPython ---------------------------------------------------------------------------
  const lines = [];
  const out = (line) => { lines.push(line); process.stdout.write(line + '\n'); };
  const t0 = performance.now();
  let mp;
  try {
    mp = await loadMicroPython({
      heapsize: opts.heapsize,
      pystack: 16 * 1024,
      stdout: out,
      stderr: (line) => process.stderr.write(line + '\n'),
      linebuffer: true,
    });
  } catch (e) {
    die(`loading MicroPython failed: ${e && e.stack || e}`);
  }
  const tLoad = performance.now();
  const FS = mp.FS;

  let nData = 0;
  try {
    mkdirs(FS, '/lib');
    for (const n of mpys) {
      mkdirs(FS, path.posix.dirname('/lib/' + n));
      FS.writeFile('/lib/' + n, fs.readFileSync(path.join(opts.frozen, n)));
    }
    mkdirs(FS, '/tests');
    for (const n of testFiles) FS.writeFile('/tests/' + n, fs.readFileSync(path.join(opts.tests, n)));
    mkdirs(FS, '/data');
    for (const d of opts.data) {
      nData += copyIn(FS, d, fs.statSync(d).isDirectory() ? '/data' : '/data/' + path.basename(d));
    }
  } catch (e) {
    die(`writing MicroPython's filesystem failed: ${e && e.message || e}`);
  }

  // The device side must come from the frozen bytecode, never from sources.
  const leaked = walkFS(FS, '/', []).filter((p) => p.endsWith('.py')
    && portModules.has(path.posix.basename(p).slice(0, -3)));
  if (leaked.length) die(`port/modules sources present in MicroPython's FS: ${leaked.join(' ')}`);

  const select = '[' + opts.select.map(pyStr).join(', ') + ']';
  // Probe a module of the package: it proves relative imports work from frozen bytecode too.
  const probe = mpys.filter((n) => n.includes('/') && portModules.has(path.posix.basename(n).slice(0, -4)))[0]
    || mpys[0];
  const probeName = probe.slice(0, -4).split('/').join('.');
  const script = `
import sys
sys.path.append("/tests")
import ${probeName}
_file = getattr(${probeName}, "__file__", "?")
print("run_portable: %s %s; %s from %s" % (sys.implementation.name,
      ".".join([str(v) for v in sys.implementation.version[:3]]), ${pyStr(probeName)}, _file))
if not _file.endswith(".mpy") and _file != "?":
    raise ImportError("%s was not imported from frozen bytecode: %s" % (${pyStr(probeName)}, _file))
import harness
harness.DATA = "/data"
`;
  const runTests = `
_result = harness.main("/tests", ${select})
_passed = _result[0]
_failed = _result[1]
`;
  let passed = 0;
  let failed = 0;
  const tRun0 = performance.now();
  if (scriptSource !== null) {
    try {
      mp.runPython(script);
      mp.runPython(scriptSource);
    } catch (e) {
      if (e && e.name === 'PythonError') {
        process.stderr.write(`${e.message}\n`);
        die(`${path.basename(opts.script)} raised ${e.type}`);
      }
      die(`MicroPython crashed: ${e && e.stack || e}`);
    }
    process.stderr.write(`run_portable: ${path.basename(opts.script)} ran in ` +
      `${(performance.now() - tRun0).toFixed(0)} ms\n`);
    process.exit(0);
  }
  try {
    mp.runPython(script + runTests);
    passed = mp.globals.get('_passed');
    failed = mp.globals.get('_failed');
  } catch (e) {
    if (e && e.name === 'PythonError') {
      process.stderr.write(`${e.message}\n`);
      die(`harness aborted with ${e.type}`);
    }
    die(`MicroPython crashed: ${e && e.stack || e}`);
  }
  const tEnd = performance.now();
  process.stderr.write(
    `run_portable: ${mpys.length} frozen modules, ` +
    `${testFiles.filter((n) => n.startsWith('test_')).length} test files, ` +
    `${nData} data files; MicroPython load ${(tLoad - t0).toFixed(0)} ms, ` +
    `tests ${(tEnd - tRun0).toFixed(0)} ms\n`);

  const summary = lines.filter((l) => /^\d+ passed, \d+ failed$/.test(l)).pop();
  if (!summary) die('no summary line from the harness');
  if (summary !== `${passed} passed, ${failed} failed`) die(`summary mismatch: ${summary}`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main();
