// SHA-256 and SHA-512 of a bundle's files. The browser's own Web Crypto does the work for every
// piece up to ONE_SHOT bytes (its digest takes a whole buffer, not a stream); a larger piece is
// hashed in blocks by hash-wasm (inlined below the page) on worker threads, so memory stays at a
// few blocks whatever the size, and both cores work.

const ONE_SHOT = 128 << 20;
const BLOCK = 8 << 20;
const WHOLE = '\0whole zip';
const ALGORITHMS = { sha256: 'SHA-256', sha512: 'SHA-512' };

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function webDigest(algorithm, bytes) {
  return hex(await crypto.subtle.digest(ALGORITHMS[algorithm], bytes));
}

const WORKER_MAIN = `
const makers = { sha256: () => hashwasm.createSHA256(), sha512: () => hashwasm.createSHA512() };
onmessage = async (event) => {
  const { id, blob, algorithm, block } = event.data;
  try {
    const hasher = await makers[algorithm]();
    hasher.init();
    for (let at = 0; at < blob.size; at += block) {
      const piece = new Uint8Array(await blob.slice(at, at + block).arrayBuffer());
      hasher.update(piece);
      postMessage({ id, done: piece.length });
    }
    postMessage({ id, hex: hasher.digest('hex') });
  } catch (error) {
    postMessage({ id, error: String(error && error.message || error) });
  }
};`;

class HashPool {
  constructor(size) {
    this.size = size;
    this.idle = [];
    this.waiting = [];
    this.jobs = new Map();
    this.next = 0;
    this.workers = [];
  }

  worker() {
    const source = document.getElementById('hash-wasm').textContent;
    const url = URL.createObjectURL(new Blob([source, WORKER_MAIN], { type: 'text/javascript' }));
    const w = new Worker(url);
    w.onmessage = (event) => {
      const { id, done, hex: digest, error } = event.data;
      const job = this.jobs.get(id);
      if (done !== undefined) { job.progress(done); return; }
      this.jobs.delete(id);
      this.release(w);
      if (error !== undefined) job.reject(new Error(error)); else job.resolve(digest);
    };
    this.workers.push(w);
    return w;
  }

  release(w) {
    const waiting = this.waiting.shift();
    if (waiting) waiting(w); else this.idle.push(w);
  }

  async acquire() {
    if (this.idle.length) return this.idle.pop();
    if (this.workers.length < this.size) return this.worker();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async digest(blob, algorithm, progress) {
    const w = await this.acquire();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.jobs.set(id, { resolve, reject, progress });
      w.postMessage({ id, blob, algorithm, block: BLOCK });
    });
  }

  close() {
    for (const w of this.workers) w.terminate();
  }
}

// Digests of a stream of blocks (a deflated entry), in memory up to ONE_SHOT, then in blocks.
async function digestChunks(iterator, algorithms, progress) {
  const parts = [];
  let size = 0;
  let hashers = null;
  for await (const part of iterator) {
    progress(part.length * algorithms.length);
    if (hashers) { for (const h of hashers) h.update(part); continue; }
    parts.push(part);
    size += part.length;
    if (size > ONE_SHOT) {
      hashers = [];
      for (const a of algorithms) {
        const h = await (a === 'sha256' ? hashwasm.createSHA256() : hashwasm.createSHA512());
        h.init();
        for (const p of parts) h.update(p);
        hashers.push(h);
      }
      parts.length = 0;
    }
  }
  if (hashers) return Object.fromEntries(algorithms.map((a, i) => [a, hashers[i].digest('hex')]));
  const whole = await collect((async function* () { yield* parts; })());
  const out = {};
  await Promise.all(algorithms.map(async (a) => { out[a] = await webDigest(a, whole); }));
  return out;
}

async function digestBlob(pool, blob, algorithms, progress) {
  if (blob.size <= ONE_SHOT) {
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const out = {};
    await Promise.all(algorithms.map(async (a) => {
      out[a] = await webDigest(a, bytes);
      progress(bytes.length);
    }));
    return out;
  }
  const out = {};
  await Promise.all(algorithms.map(async (a) => { out[a] = await pool.digest(blob, a, progress); }));
  return out;
}

// {name: {sha256, sha512}} for `names` of the bundle (a file that cannot be read is left out),
// and the zip's own SHA-256 under WHOLE when `whole` (the zip file) is given.
async function hashAll(source, names, whole, onProgress) {
  const pool = new HashPool(Math.max(2, Math.min(4, navigator.hardwareConcurrency || 2)));
  const algorithms = Object.keys(ALGORITHMS);
  let total = 0;
  for (const name of names) total += (source.names.get(name) || 0) * algorithms.length;
  if (whole) total += whole.size;
  let done = 0;
  const progress = (n) => { done += n; onProgress(done, total); };
  const results = new Map();
  const units = names.filter((name) => source.names.has(name))
    .sort((a, b) => source.names.get(b) - source.names.get(a));
  const run = async (name) => {
    try {
      const region = source.rawRegion(name);
      const digests = region
        ? await digestBlob(pool, region, algorithms, progress)
        : await digestChunks(source.chunks(name), algorithms, progress);
      results.set(name, digests);
    } catch (e) {
      // left out: reported as a file that could not be read
    }
  };
  const tasks = [];
  if (whole) {
    tasks.push(digestBlob(pool, whole, ['sha256'], progress)
      .then((d) => results.set(WHOLE, d)).catch(() => {}));
  }
  let index = 0;
  const lanes = Array.from({ length: 3 }, async () => {
    while (index < units.length) await run(units[index++]);
  });
  try {
    await Promise.all([...tasks, ...lanes]);
  } finally {
    pool.close();
  }
  return results;
}
