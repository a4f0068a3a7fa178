// Ctrl-C for Python code that never calls out of MicroPython (`while True: pass` in the REPL).
// The WebAssembly port has no VM hook, so nothing in JavaScript runs while such a loop spins.
// Instead the module's memory is made shared and a worker thread, blocked on the interrupt
// pipe of the host, writes what mp_sched_keyboard_interrupt writes (the pending exception and
// the scheduler state) straight into it; the VM raises KeyboardInterrupt at its next jump.
//
// The device side decides where that may happen through the gate (/dev/rtdl_interrupt):
// b"o" opens it (REPL code runs), b"c" closes it (the bridge, the kernel, the REPL itself).
// Closing waits for a delivery under way and takes back one not yet raised, so a protocol
// exchange over the bridge is never cut in half. One-byte commands; repeated ones are no-ops.
//
//   shareMemory(wasmBytes)            -> the same module with its memory shared
//   installGate(mp, memory, ifd)      -> {write(byte)} for the gate device, stop(); starts
//                                        the worker (stop() ends it, before the runner exits)
import { Worker } from 'node:worker_threads';

function leb(buf, pos) {
  let value = 0, shift = 0, byte;
  do {
    byte = buf[pos++];
    value |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  return [value >>> 0, pos];
}

function encodeLeb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return out;
}

export function shareMemory(bytes) {
  const bin = Buffer.from(bytes);
  const parts = [bin.subarray(0, 8)];
  let pos = 8;
  while (pos < bin.length) {
    const id = bin[pos];
    const [size, body] = leb(bin, pos + 1);
    const end = body + size;
    if (id === 5) {                         // the memory section: one memory, now shared
      let [count, q] = leb(bin, body);
      if (count !== 1) throw new Error(`expected one wasm memory, found ${count}`);
      const flags = bin[q++];
      let initial, maximum = 65536;
      [initial, q] = leb(bin, q);
      if (flags & 1) [maximum, q] = leb(bin, q);
      const section = [1, 3, ...encodeLeb(initial), ...encodeLeb(maximum)];
      parts.push(Buffer.from([5, ...encodeLeb(section.length), ...section]));
    } else {
      parts.push(bin.subarray(pos, end));
    }
    pos = end;
  }
  return Buffer.concat(parts);
}

const CLOSED = 0, OPEN = 1, DELIVERING = 2;

const WORKER = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const memory = new Int32Array(workerData.memory);
const gate = new Int32Array(workerData.gate);
const buf = Buffer.alloc(64);
// The pipe is non-blocking: a read blocked in the kernel would keep the runner from exiting.
while (Atomics.load(gate, 1) === 0) {
  let n;
  try { n = fs.readSync(workerData.ifd, buf, 0, buf.length, null); }
  catch (e) { if (e.code === 'EAGAIN') { Atomics.wait(gate, 1, 0, 10); continue; } n = 0; }
  // the host has gone: end the whole runner, even one spinning in Python code
  if (n === 0) process.kill(process.pid, 'SIGKILL');
  for (let i = 0; i < n; i++) {
    if (buf[i] !== 3) continue;
    if (Atomics.compareExchange(gate, 0, ${OPEN}, ${DELIVERING}) !== ${OPEN}) continue;
    for (const [index, , raised] of workerData.slots) Atomics.store(memory, index, raised);
    Atomics.store(gate, 0, ${OPEN});
  }
}`;

export function installGate(mp, memory, ifd) {
  // Where mp_sched_keyboard_interrupt writes, found by calling it once and taking it back.
  const words = new Int32Array(memory.buffer);
  const before = words.slice();
  mp._module._mp_sched_keyboard_interrupt();
  const slots = [];
  for (let i = 0; i < before.length; i++) {
    if (before[i] !== words[i]) slots.push([i, before[i], words[i]]);
  }
  for (const [index, idle] of slots) words[index] = idle;
  const gate = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(WORKER, {
    eval: true, workerData: { memory: memory.buffer, gate: gate.buffer, ifd, slots },
  });
  worker.unref();

  function close() {
    for (;;) {
      const was = Atomics.compareExchange(gate, 0, OPEN, CLOSED);
      if (was !== DELIVERING) break;
    }
    // delivered but not raised yet: take it back (the host still knows of the key press)
    if (slots.length && Atomics.load(words, slots[0][0]) === slots[0][2]) {
      for (const [index, idle] of slots) Atomics.store(words, index, idle);
    }
  }
  return {
    stop() {
      Atomics.store(gate, 1, 1);
      Atomics.notify(gate, 1);
    },
    write(byte) {
      if (byte === 0x6f) Atomics.store(gate, 0, OPEN);       // 'o'
      else if (byte === 0x63) close();                       // 'c'
    },
  };
}
