#!/usr/bin/env node
// The MicroPython side of `rtdl run/shell --runtime micropython` (started by rtdl.mpy_runtime).
//
//   node runner.mjs --package DIR --frozen DIR --rfd N --wfd N [--heapsize BYTES]
//                   [--entry MODULE] [--ifd N]
//
// Loads real MicroPython (the WebAssembly port in DIR), copies the frozen device side
// (DIR/**/*.mpy) into its /lib, which is on MicroPython's default sys.path, and runs
// MODULE.main (default rtdl_device.bridge_main; rtdl_device.remote_repl is the REPL of the
// CPython runtime) over /dev/rtdl_bridge: a character device whose reads come from
// fd N (the host's answers) and whose writes go to fd N. Reads block (fs.readSync), so the
// device side calls the board synchronously. Written bytes are held until the device side
// next reads, which is when it waits for an answer: everything queued leaves in one write.
// With --ifd, a Ctrl-C byte (0x03) on fd N raises KeyboardInterrupt in Python code that the
// device side has opened to it (interrupt_gate.mjs; the gate is /dev/rtdl_interrupt), and the
// runner ends when fd N reaches its end (the host has gone), even inside a Python loop.
// Exit status: 0 when main returned, 2 when it raised (the traceback is on stderr).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { installGate, shareMemory } from './interrupt_gate.mjs';

// a worker thread (interrupt_gate.mjs) must be told to end, or the process waits for it
let stopWorkers = () => {};

function leave(status) {
  stopWorkers();
  process.exit(status);
}

function die(msg) {
  process.stderr.write(`rtdl micropython runner: ${msg}\n`);
  leave(2);
}

const opts = { heapsize: 64 * 1024 * 1024, entry: 'rtdl_device.bridge_main' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const key = argv[i].replace(/^--/, '');
  if (!['package', 'frozen', 'rfd', 'wfd', 'heapsize', 'entry', 'ifd'].includes(key) || i + 1 >= argv.length) {
    die(`bad argument ${argv[i]}`);
  }
  opts[key] = argv[i + 1];
}
const rfd = parseInt(opts.rfd, 10);
const wfd = parseInt(opts.wfd, 10);

let memory = null;
if (opts.ifd !== undefined) {
  // the interrupt worker writes into MicroPython's memory: instantiate it shared
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async (bytes, imports) => {
    const result = await instantiate(shareMemory(bytes), imports);
    memory = Object.values(result.instance.exports).find((v) => v instanceof WebAssembly.Memory);
    return result;
  };
}
const { loadMicroPython } = await import(
  pathToFileURL(path.join(opts.package, 'micropython.mjs')).href);
// What MicroPython prints (the REPL's output) goes to the host as console frames, in order
// with the bridge's own frames: bytes collect in `printed` and are framed before the next
// bridge byte or read.
let printed = [];
const mp = await loadMicroPython({
  heapsize: parseInt(opts.heapsize, 10),
  linebuffer: false,
  stdout: (bytes) => { for (const b of bytes) printed.push(b); },
  stderr: (bytes) => process.stderr.write(bytes),
});

function mkdirs(dir) {
  let cur = '';
  for (const part of dir.split('/').filter(Boolean)) {
    cur += '/' + part;
    if (!mp.FS.analyzePath(cur).exists) mp.FS.mkdir(cur);
  }
}

function copyIn(hostDir, fsDir) {
  mkdirs(fsDir);
  for (const name of fs.readdirSync(hostDir)) {
    const host = path.join(hostDir, name);
    if (fs.statSync(host).isDirectory()) copyIn(host, fsDir + '/' + name);
    else if (name.endsWith('.mpy')) mp.FS.writeFile(fsDir + '/' + name, fs.readFileSync(host));
  }
}
copyIn(opts.frozen, '/lib');

const sleeper = new Int32Array(new SharedArrayBuffer(4));
let out = Buffer.alloc(1 << 16);
let outLen = 0;
const inBuf = Buffer.alloc(1 << 16);
let inPos = 0;
let inLen = 0;

function framePrinted() {
  if (!printed.length) return;
  const chunk = printed;
  printed = [];
  const head = Buffer.alloc(5);
  head.writeUInt32LE(chunk.length + 1, 0);
  head[4] = 0x63;                      // OP_CONSOLE
  for (const b of head) push(b);
  for (const b of chunk) push(b);
}

function flush() {
  framePrinted();
  let off = 0;
  while (off < outLen) {
    try {
      off += fs.writeSync(wfd, out, off, outLen - off);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
      Atomics.wait(sleeper, 0, 0, 1);
    }
  }
  outLen = 0;
}

function input() {
  if (inPos >= inLen) {
    flush();
    for (;;) {
      try {
        inLen = fs.readSync(rfd, inBuf, 0, inBuf.length, null);
        break;
      } catch (e) {
        if (e.code !== 'EAGAIN') throw e;
        Atomics.wait(sleeper, 0, 0, 1);
      }
    }
    inPos = 0;
    // The host closed the bridge: it has gone (killed, or ended without waiting for us).
    // Nothing can be served any more; ending here keeps an orphan from spinning on EOF.
    if (inLen === 0) leave(3);
  }
  return inBuf[inPos++];
}

function output(byte) {
  framePrinted();
  push(byte);
}

function push(byte) {
  if (outLen >= out.length) {
    const bigger = Buffer.alloc(out.length * 2);
    out.copy(bigger, 0, 0, outLen);
    out = bigger;
  }
  out[outLen++] = byte;
}

mp.FS.createDevice('/dev', 'rtdl_bridge', input, output);
if (opts.ifd !== undefined) {
  const gate = installGate(mp, memory, parseInt(opts.ifd, 10));
  stopWorkers = gate.stop;
  mp.FS.createDevice('/dev', 'rtdl_interrupt', () => null, gate.write);
}
let status = 0;
try {
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(opts.entry)) die(`bad entry ${opts.entry}`);
  mp.runPython(`import ${opts.entry}\n${opts.entry}.main("/dev/rtdl_bridge")`);
} catch (e) {
  process.stderr.write(`${e.message || e}\n`);
  status = 2;
}
flush();
leave(status);
