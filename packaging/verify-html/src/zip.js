// Reading a zip nobody should trust, as evidence_kit/bundle/format/zipsafe.py does with
// VERIFY_LIMITS: the central directory found as Python's zipfile finds it, then every entry's
// local header compared with it (name, method, flags, CRC, sizes), Info-ZIP Unicode Path fields
// (0x7075) and unknown extra fields refused, no bytes hidden between entries, stored or deflate
// only, and reading that never trusts a declared size.

class UnsafeZip extends Error {}
class TooLarge extends Error {}

const STORED = 0;
const DEFLATED = 8;
const METHOD_NAMES = { 0: 'stored', 8: 'deflate', 12: 'bzip2', 14: 'lzma', 93: 'zstandard' };
const UNICODE_PATH = 0x7075;
const ZIP64 = 0x0001;
const HARMLESS_EXTRAS = new Set([ZIP64, 0x000a, 0x000d, 0x5455, 0x5855, 0x7855, 0x7875]);
const MARGIN = 64 * 1024;
const MAX_EXTRACT_VERSION = 63;
const VERIFY_LIMITS = {
  maxEntries: 200000,
  maxTotal: 2 ** 40,
  maxRatio: 200,
  ratioFloor: 2 ** 20,
  methods: new Set([STORED, DEFLATED]),
};

// Code page 437, the zip format's historical encoding of names, bytes 0x80-0xFF.
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

function decodeCp437(bytes) {
  let out = '';
  for (const b of bytes) out += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80];
  return out;
}

const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const UTF8_LOOSE = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

let CRC_TABLE = null;
function crc32(crc, bytes) {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  let c = (crc ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

async function readAt(file, offset, length) {
  if (offset < 0) throw new UnsafeZip(`it cannot be read as a zip file (an offset before its start)`);
  const end = Math.min(file.size, offset + length);
  if (end <= offset) return new Uint8Array(0);
  return new Uint8Array(await file.slice(offset, end).arrayBuffer());
}

function u16(b, at) { return b[at] | (b[at + 1] << 8); }
function u32(b, at) { return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000; }
function u64(b, at) { return u32(b, at) + u32(b, at + 4) * 0x100000000; }

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function lastIndexOf(data, sig) {
  for (let i = data.length - sig.length; i >= 0; i--) {
    let ok = true;
    for (let j = 0; j < sig.length; j++) if (data[i + j] !== sig[j]) { ok = false; break; }
    if (ok) return i;
  }
  return -1;
}

const SIG_END = [0x50, 0x4b, 0x05, 0x06];
const SIG_LOC64 = [0x50, 0x4b, 0x06, 0x07];
const SIG_END64 = [0x50, 0x4b, 0x06, 0x06];
const SIG_CENTRAL = [0x50, 0x4b, 0x01, 0x02];
const SIG_LOCAL = [0x50, 0x4b, 0x03, 0x04];
const isSig = (b, at, sig) => sig.every((x, i) => b[at + i] === x);

function notAZip(why) {
  return new UnsafeZip(`it cannot be read as a zip file (${why})`);
}

// The end of the central directory, as zipfile._EndRecData finds it.
async function endRecord(file) {
  const size = file.size;
  if (size < 22) throw notAZip('File is not a zip file');
  let rec = null;
  const tail = await readAt(file, size - 22, 22);
  if (isSig(tail, 0, SIG_END) && tail[20] === 0 && tail[21] === 0) {
    rec = { bytes: tail, comment: new Uint8Array(0), location: size - 22 };
  } else {
    const from = Math.max(size - 65536 - 22, 0);
    const data = await readAt(file, from, size - from);
    const start = lastIndexOf(data, SIG_END);
    if (start < 0 || data.length - start < 22) throw notAZip('File is not a zip file');
    const bytes = data.subarray(start, start + 22);
    const commentSize = u16(bytes, 20);
    rec = { bytes, comment: data.subarray(start + 22, start + 22 + commentSize), location: from + start };
  }
  const end = {
    zip64: false,
    sizeCd: u32(rec.bytes, 12),
    offsetCd: u32(rec.bytes, 16),
    comment: rec.comment,
    location: rec.location,
  };
  const locatorAt = rec.location - 20;
  if (locatorAt < 0) return end;
  const locator = await readAt(file, locatorAt, 20);
  if (locator.length !== 20 || !isSig(locator, 0, SIG_LOC64)) return end;
  if (u32(locator, 4) !== 0 || u32(locator, 16) > 1) {
    throw notAZip('zipfiles that span multiple disks are not supported');
  }
  if (locatorAt - 56 < 0) throw notAZip('File is not a zip file');
  const rec64 = await readAt(file, locatorAt - 56, 56);
  if (rec64.length !== 56 || !isSig(rec64, 0, SIG_END64)) return end;
  return { ...end, zip64: true, sizeCd: u64(rec64, 40), offsetCd: u64(rec64, 48) };
}

function decodeExtra(info) {
  let extra = info.extra;
  while (extra.length >= 4) {
    const kind = u16(extra, 0);
    const len = u16(extra, 2);
    if (len + 4 > extra.length) throw notAZip(`Corrupt extra field ${kind.toString(16)}`);
    if (kind === ZIP64) {
      let data = extra.subarray(4, len + 4);
      const take = (field) => {
        if (data.length < 8) throw notAZip(`Corrupt zip64 extra field. ${field} not found.`);
        const v = u64(data, 0);
        data = data.subarray(8);
        return v;
      };
      if (info.fileSize === 0xffffffff) info.fileSize = take('File size');
      if (info.compressSize === 0xffffffff) info.compressSize = take('Compress size');
      if (info.headerOffset === 0xffffffff) info.headerOffset = take('Header offset');
    }
    extra = extra.subarray(len + 4);
  }
}

// The central directory's entries, as zipfile reads them (ZipFile._RealGetContents).
async function centralDirectory(file) {
  const end = await endRecord(file);
  let concat = end.location - end.sizeCd - end.offsetCd;
  if (end.zip64) concat -= 56 + 20;
  const startDir = end.offsetCd + concat;
  if (startDir < 0) throw notAZip('Bad offset for central directory');
  const data = await readAt(file, startDir, end.sizeCd);
  const infos = [];
  let at = 0;
  let total = 0;
  while (total < end.sizeCd) {
    if (data.length - at < 46) throw notAZip('Truncated central directory');
    if (!isSig(data, at, SIG_CENTRAL)) throw notAZip('Bad magic number for central directory');
    const h = data.subarray(at, at + 46);
    const nameLen = u16(h, 28);
    const extraLen = u16(h, 30);
    const commentLen = u16(h, 32);
    at += 46;
    let rawName = data.subarray(at, at + nameLen);
    at += nameLen;
    const extra = data.subarray(at, at + extraLen);
    at += extraLen + commentLen;
    const flags = u16(h, 8);
    let name;
    if (flags & 0x800) {
      try {
        name = UTF8_STRICT.decode(rawName);
      } catch (e) {
        throw notAZip("'utf-8' codec can't decode a name");
      }
    } else {
      name = decodeCp437(rawName);
    }
    const nul = name.indexOf('\0');
    if (nul >= 0) {
      name = name.slice(0, nul);
      rawName = rawName.subarray(0, rawName.indexOf(0));
    }
    if (h[6] > MAX_EXTRACT_VERSION) throw notAZip(`zip file version ${h[6] / 10}`);
    const info = {
      filename: name,
      rawName,
      flagBits: flags,
      method: u16(h, 10),
      crc: u32(h, 16),
      compressSize: u32(h, 20),
      fileSize: u32(h, 24),
      externalAttr: u32(h, 38),
      headerOffset: u32(h, 42),
      extra,
    };
    decodeExtra(info);
    info.headerOffset += concat;
    infos.push(info);
    total += 46 + nameLen + extraLen + commentLen;
  }
  return { infos, startDir, comment: end.comment };
}

function extras(raw) {
  const fields = [];
  let at = 0;
  while (at + 4 <= raw.length) {
    const kind = u16(raw, at);
    const size = u16(raw, at + 2);
    if (at + 4 + size > raw.length) return null;
    fields.push([kind, raw.subarray(at + 4, at + 4 + size)]);
    at += 4 + size;
  }
  return at === raw.length ? fields : null;
}

// The one name rule (zipsafe.name_problem).
function nameProblem(name) {
  if (!name) return 'has no name';
  if ([...name].some((ch) => ch.codePointAt(0) < 32 || ch.codePointAt(0) === 127)) {
    return 'has control characters in its name';
  }
  if (name.startsWith('/') || name.startsWith('\\') || (name.length > 1 && name[1] === ':')) {
    return 'is an absolute path';
  }
  if (name.includes('\\')) return 'uses backslashes in its path';
  const parts = name.split('/');
  if (parts.includes('..')) return "climbs out of its folder with '..'";
  if (parts.slice(0, -1).includes('.') || name.includes('//')) return "has an odd path ('.' or '//')";
  return null;
}

function quoteName(name) {
  const visible = [...name].map((ch) => {
    const c = ch.codePointAt(0);
    const hidden = c < 32 || (c >= 127 && c < 160) || (c >= 0x202a && c <= 0x202e) ||
      (c >= 0x2066 && c <= 0x2069);
    return hidden ? `\\u${c.toString(16).padStart(4, '0')}` : ch;
  });
  return `'${visible.join('')}'`;
}

// What two names look like to a file system that ignores case and Unicode normalisation.
function foldName(name) {
  return name.normalize('NFC').toUpperCase().toLowerCase();
}

async function checkLocal(file, info, central, problems) {
  const q = quoteName(info.filename);
  const header = await readAt(file, info.headerOffset, 30);
  if (header.length !== 30 || !isSig(header, 0, SIG_LOCAL)) {
    problems.push(`entry ${q} has no local header where the directory says`);
    return null;
  }
  const flags = u16(header, 6);
  const method = u16(header, 8);
  const crc = u32(header, 14);
  let packed = u32(header, 18);
  let size = u32(header, 22);
  const nameLen = u16(header, 26);
  const extraLen = u16(header, 28);
  const rawName = await readAt(file, info.headerOffset + 30, nameLen);
  const localExtra = await readAt(file, info.headerOffset + 30 + nameLen, extraLen);
  const mismatch = [];
  if (!sameBytes(rawName, info.rawName)) mismatch.push('name');
  if (method !== info.method) mismatch.push('compression');
  if (((flags ^ info.flagBits) & ~0x8) & 0xffff) mismatch.push('flags');
  const localFields = extras(localExtra);
  if (localFields === null) {
    problems.push(`entry ${q} has a damaged extra field in its local header`);
    return null;
  }
  if (!(flags & 0x8)) {
    const zip64 = localFields.find(([kind]) => kind === ZIP64);
    const data = zip64 ? zip64[1] : new Uint8Array(0);
    const values = [];
    if (data.length >= 8) for (let i = 0; i + 8 <= data.length; i += 8) values.push(u64(data, i));
    if (size === 0xffffffff && values.length) size = values.shift();
    if (packed === 0xffffffff && values.length) packed = values.shift();
    if (crc !== info.crc) mismatch.push('CRC');
    if (size !== info.fileSize || packed !== info.compressSize) mismatch.push('size');
  }
  if (mismatch.length) {
    problems.push(`entry ${q}: its local header and the zip's directory disagree on its ${mismatch.join(' and ')}`);
    return null;
  }
  for (const [kind, value] of [...central, ...localFields]) {
    if (kind === UNICODE_PATH) {
      const other = value.length > 5 ? UTF8_LOOSE.decode(value.subarray(5)) : '';
      if (other !== info.filename) {
        problems.push(`entry ${q} carries a second name (${quoteName(other)}) that some unzip tools would use instead`);
        return null;
      }
    } else if (!HARMLESS_EXTRAS.has(kind)) {
      problems.push(`entry ${q} has an extra field (0x${kind.toString(16).padStart(4, '0')}) that Evidence Kit does not write and cannot vouch for`);
      return null;
    }
  }
  return info.headerOffset + 30 + nameLen + extraLen;
}

async function entryOf(file, info, limits, problems) {
  const name = info.filename;
  const q = quoteName(name);
  const problem = nameProblem(name);
  if (problem) { problems.push(`entry ${q} ${problem}`); return null; }
  if (info.flagBits & 0x1) { problems.push(`entry ${q} is encrypted`); return null; }
  const mode = Math.floor(info.externalAttr / 65536);
  if ((mode & 0o170000) === 0o120000) { problems.push(`entry ${q} is a symbolic link`); return null; }
  if (!limits.methods.has(info.method)) {
    const method = METHOD_NAMES[info.method] || `method ${info.method}`;
    problems.push(`entry ${q} uses ${method} compression, which is not allowed here`);
    return null;
  }
  if (info.method !== STORED && info.fileSize > limits.ratioFloor &&
      info.fileSize > limits.maxRatio * Math.max(1, info.compressSize)) {
    const ratio = Math.floor(info.fileSize / Math.max(1, info.compressSize));
    problems.push(`entry ${q} would expand ${ratio} times (the limit is ${limits.maxRatio})`);
    return null;
  }
  const central = extras(info.extra);
  if (central === null) { problems.push(`entry ${q} has a damaged extra field`); return null; }
  const dataOffset = await checkLocal(file, info, central, problems);
  if (dataOffset === null) return null;
  return {
    filename: name, method: info.method, crc: info.crc, compressSize: info.compressSize,
    fileSize: info.fileSize, headerOffset: info.headerOffset, dataOffset,
    isDir: name.endsWith('/'),
  };
}

async function spanOf(file, info) {
  const header = await readAt(file, info.headerOffset, 30);
  const lengths = header.length === 30 ? u16(header, 26) + u16(header, 28) : 0;
  return [info.headerOffset, info.headerOffset + 30 + lengths + info.compressSize, info.filename];
}

function checkSpans(spans, startDir, problems) {
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1] || codePointCompare(a[2], b[2]));
  let position = 0;
  for (const [start, end, name] of spans) {
    if (start < position) problems.push(`entry ${quoteName(name)} overlaps the entry before it`);
    else if (start > position + 24) {
      problems.push(`${start - position} bytes before entry ${quoteName(name)} belong to no entry`);
    }
    position = Math.max(position, end);
  }
  if (startDir < position) problems.push("the zip's directory overlaps the last entry");
  else if (startDir > position + 24) {
    problems.push(`${startDir - position} bytes after the last entry belong to no entry`);
  }
}

// A zip opened without trust: {entries, problems}. Throws UnsafeZip when it is no zip at all.
async function openZip(file, limits = VERIFY_LIMITS) {
  const { infos, startDir, comment } = await centralDirectory(file);
  const problems = [];
  const entries = [];
  if (infos.length > limits.maxEntries) {
    problems.push(`it holds ${infos.length} entries, more than the ${limits.maxEntries} allowed`);
    return { file, entries, problems };
  }
  if (comment.length) problems.push('it carries a zip comment (Evidence Kit writes none)');
  const spans = [];
  for (const info of infos) spans.push(await spanOf(file, info));
  const seen = new Map();
  let total = 0;
  for (const info of infos) {
    const entry = await entryOf(file, info, limits, problems);
    if (entry === null) continue;
    const key = foldName(entry.filename.replace(/\/+$/, ''));
    if (seen.has(key)) {
      const twin = seen.get(key);
      problems.push(twin === entry.filename
        ? `entry ${quoteName(entry.filename)} appears twice`
        : `entry ${quoteName(entry.filename)} and ${quoteName(twin)} are the same name to Windows or macOS`);
      continue;
    }
    seen.set(key, entry.filename);
    total += entry.fileSize;
    entries.push(entry);
  }
  if (total > limits.maxTotal) {
    problems.push(`it would unpack to ${total} bytes, more than the ${limits.maxTotal} allowed`);
  }
  checkSpans(spans, startDir, problems);
  return { file, entries, problems };
}

// An entry's bytes, never more than it declares: stored entries as they lie in the file (their
// SHA-256 and SHA-512 are what is checked), deflated ones inflated with a budget and a CRC check.
async function* entryChunks(file, entry, { checkCrc = entry.method !== STORED } = {}) {
  const q = quoteName(entry.filename);
  const CHUNK = 8 << 20;
  if (entry.method === STORED) {
    let produced = 0;
    let crc = 0;
    for (let at = 0; at < entry.compressSize; at += CHUNK) {
      const block = await readAt(file, entry.dataOffset + at, Math.min(CHUNK, entry.compressSize - at));
      if (!block.length) throw new UnsafeZip(`entry ${q} is cut short`);
      produced += block.length;
      if (produced > entry.fileSize) throw new TooLarge(`entry ${q} holds more bytes than it declares`);
      if (checkCrc) crc = crc32(crc, block);
      yield block;
      if (block.length < Math.min(CHUNK, entry.compressSize - at)) throw new UnsafeZip(`entry ${q} is cut short`);
    }
    if (produced !== entry.fileSize) throw new UnsafeZip(`entry ${q} is shorter than it declares`);
    if (checkCrc && crc !== entry.crc) throw new UnsafeZip(`entry ${q} is damaged (its CRC does not match)`);
    return;
  }
  if (entry.method !== DEFLATED) throw new UnsafeZip(`entry ${q} uses a compression Evidence Kit cannot read`);
  const budget = entry.fileSize + MARGIN;
  const stream = new DecompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  const feeding = (async () => {
    try {
      for (let at = 0; at < entry.compressSize; at += CHUNK) {
        const block = await readAt(file, entry.dataOffset + at, Math.min(CHUNK, entry.compressSize - at));
        if (!block.length) throw new UnsafeZip(`entry ${q} is cut short`);
        await writer.write(block);
      }
      await writer.close();
    } catch (e) {
      try { await writer.abort(e); } catch (ignored) { /* already failed */ }
    }
  })();
  let produced = 0;
  let crc = 0;
  try {
    for (;;) {
      let step;
      try {
        step = await reader.read();
      } catch (e) {
        throw new UnsafeZip(`entry ${q} cannot be inflated (${e.message || e})`);
      }
      if (step.done) break;
      produced += step.value.length;
      if (produced > budget) throw new TooLarge(`entry ${q} expands beyond its declared size`);
      if (produced > entry.fileSize) throw new TooLarge(`entry ${q} holds more bytes than it declares`);
      crc = crc32(crc, step.value);
      yield step.value;
    }
  } finally {
    reader.cancel().catch(() => {});
    await feeding;
  }
  if (produced !== entry.fileSize) throw new UnsafeZip(`entry ${q} is shorter than it declares`);
  if (crc !== entry.crc) throw new UnsafeZip(`entry ${q} is damaged (its CRC does not match)`);
}
