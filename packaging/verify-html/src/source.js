// A bundle's files, from its zip or an unpacked folder (evidence_kit/bundle/format/source.py):
// `names` maps "bag/…" (relative to the top folder EVB-<id>/) to size; `problems` is what was
// unsafe about the container. Nothing is extracted: the zip is read where it lies.

const MAX_SMALL = 64 << 20; // the most `read()` returns (tag files, item.json, the custody log)

async function collect(iterator) {
  const parts = [];
  let size = 0;
  for await (const part of iterator) { parts.push(part); size += part.length; }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) { out.set(part, at); at += part.length; }
  return out;
}

class ZipBundle {
  static async open(file) {
    const zip = await openZip(file);
    const self = new ZipBundle();
    self.isZip = true;
    self.file = file;
    self.label = file.name;
    self.problems = [...zip.problems];
    self.names = new Map();
    self.members = new Map();
    const tops = new Set(zip.entries.map((e) => e.filename.split('/')[0]));
    if (tops.size !== 1) {
      const shown = [...tops].sort(codePointCompare).slice(0, 5).join(', ');
      self.problems.push(`it must hold exactly one top-level folder, not ${tops.size}: ${shown}`);
    }
    self.top = tops.size ? [...tops].sort(codePointCompare)[0] : '';
    for (const entry of zip.entries) {
      const slash = entry.filename.indexOf('/');
      const first = slash < 0 ? entry.filename : entry.filename.slice(0, slash);
      if (entry.isDir || slash < 0 || first !== self.top) {
        if (!entry.isDir && slash < 0) {
          self.problems.push(`entry '${entry.filename}' is outside the bundle's folder`);
        }
        continue;
      }
      const rest = entry.filename.slice(slash + 1);
      self.members.set(rest, entry);
      self.names.set(rest, entry.fileSize);
    }
    return self;
  }

  // Stored entries: where their bytes lie, read as they are (as verify's one-pass hashing does).
  rawRegion(name) {
    const entry = this.members.get(name);
    if (!entry || entry.method !== STORED) return null;
    return this.file.slice(Math.min(entry.dataOffset, this.file.size),
      Math.min(entry.dataOffset + entry.compressSize, this.file.size));
  }

  chunks(name) {
    return entryChunks(this.file, this.members.get(name));
  }

  async read(name, limit = MAX_SMALL) {
    if (!this.names.has(name)) return null;
    if (this.names.get(name) > limit) return null;
    try {
      return await collect(this.chunks(name));
    } catch (e) {
      return null;
    }
  }
}

// files: [[path, File]] with paths as the browser gives them ("EVB-…/bag/…", or one more
// folder above it, as Windows' "Extract all" makes).
class FolderBundle {
  static open(files) {
    const self = new FolderBundle();
    self.isZip = false;
    self.problems = [];
    self.names = new Map();
    self.files = new Map();
    let entries = files.map(([path, file]) => [path.split('/'), file]);
    let top = entries.length ? entries[0][0][0] : '';
    entries = entries.map(([parts, file]) => [parts.slice(1), file]);
    const hasBag = entries.some(([parts]) => parts.length > 1 && parts[0] === 'bag');
    if (!hasBag) {
      const inner = new Set(entries.filter(([p]) => p.length > 1).map(([p]) => p[0]));
      if (inner.size === 1) {
        const [only] = inner;
        if (entries.some(([p]) => p.length > 2 && p[0] === only && p[1] === 'bag')) {
          top = only;
          entries = entries.filter(([p]) => p.length > 1 && p[0] === only).map(([p, f]) => [p.slice(1), f]);
        }
      }
    }
    self.top = top;
    self.label = top;
    const folded = new Map();
    const seenDirs = new Set();
    const sorted = entries.map(([p, f]) => [p.join('/'), f]).sort((a, b) => codePointCompare(a[0], b[0]));
    for (const [relative, file] of sorted) {
      const parts = relative.split('/');
      for (let i = 1; i < parts.length; i++) {
        const dir = parts.slice(0, i).join('/');
        if (seenDirs.has(dir)) continue;
        seenDirs.add(dir);
        const twin = folded.get(foldName(dir)) ?? dir;
        folded.set(foldName(dir), twin);
        if (twin !== dir) self.problems.push(`'${dir}' and '${twin}' are the same name elsewhere`);
      }
      const problem = nameProblem(relative);
      const key = foldName(relative);
      const twin = folded.has(key) ? folded.get(key) : relative;
      folded.set(key, twin);
      if (problem) self.problems.push(`'${relative}' ${problem}`);
      else if (twin !== relative) self.problems.push(`'${relative}' and '${twin}' are the same name elsewhere`);
      if (!problem) {
        self.names.set(relative, file.size);
        self.files.set(relative, file);
      }
      if (self.names.size > VERIFY_LIMITS.maxEntries) {
        self.problems.push(`it holds more than ${VERIFY_LIMITS.maxEntries} files`);
        break;
      }
    }
    return self;
  }

  rawRegion(name) {
    return this.files.get(name) || null;
  }

  async* chunks(name) {
    const file = this.files.get(name);
    const CHUNK = 8 << 20;
    for (let at = 0; at < file.size; at += CHUNK) {
      yield new Uint8Array(await file.slice(at, at + CHUNK).arrayBuffer());
    }
  }

  async read(name, limit = MAX_SMALL) {
    const file = this.files.get(name);
    if (!file || file.size > limit) return null;
    try {
      return new Uint8Array(await file.arrayBuffer());
    } catch (e) {
      return null;
    }
  }
}
