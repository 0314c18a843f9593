// JSON exactly as Python's `json` module reads and writes it, because a custody event's hash is
// the SHA-256 of `json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`
// (evidence_kit/bundle/format/custody.py). JavaScript's own JSON differs where it matters:
// integers beyond 2^53, floats written as 1.0 or 1e+16, NaN and Infinity, key order by UTF-16
// unit instead of code point. So numbers are kept as PyInt (BigInt) or PyFloat, objects as Maps
// (a repeated key keeps its first place and takes the last value, as a Python dict does).

class PyInt { constructor(v) { this.v = v; } }
class PyFloat { constructor(v) { this.v = v; } }

class JsonProblem extends Error {}

const PY_WS = ' \t\n\r';
const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;
const MAX_INT_DIGITS = 4300; // Python refuses to read longer integers (sys.int_info)

function pyJsonLoads(text) {
  let at = 0;
  const skip = () => { while (at < text.length && PY_WS.includes(text[at])) at++; };
  const fail = (why) => { throw new JsonProblem(`${why} at character ${at}`); };
  function value() {
    const ch = text[at];
    if (ch === '{') return object();
    if (ch === '[') return array();
    if (ch === '"') return string();
    if (text.startsWith('null', at)) { at += 4; return null; }
    if (text.startsWith('true', at)) { at += 4; return true; }
    if (text.startsWith('false', at)) { at += 5; return false; }
    if (text.startsWith('NaN', at)) { at += 3; return new PyFloat(NaN); }
    if (text.startsWith('Infinity', at)) { at += 8; return new PyFloat(Infinity); }
    if (text.startsWith('-Infinity', at)) { at += 9; return new PyFloat(-Infinity); }
    NUMBER.lastIndex = at;
    const m = NUMBER.exec(text);
    if (!m) fail('expecting a value');
    at = NUMBER.lastIndex;
    if (m[1] === undefined && m[2] === undefined) {
      if (m[0].replace('-', '').length > MAX_INT_DIGITS) fail('an integer is too long');
      return new PyInt(BigInt(m[0]));
    }
    return new PyFloat(Number(m[0]));
  }
  function object() {
    const out = new Map();
    at++;
    skip();
    if (text[at] === '}') { at++; return out; }
    for (;;) {
      if (text[at] !== '"') fail('expecting a property name in double quotes');
      const key = string();
      skip();
      if (text[at] !== ':') fail("expecting ':'");
      at++;
      skip();
      out.set(key, value());
      skip();
      if (text[at] === '}') { at++; return out; }
      if (text[at] !== ',') fail("expecting ',' delimiter");
      at++;
      skip();
    }
  }
  function array() {
    const out = [];
    at++;
    skip();
    if (text[at] === ']') { at++; return out; }
    for (;;) {
      skip();
      out.push(value());
      skip();
      if (text[at] === ']') { at++; return out; }
      if (text[at] !== ',') fail("expecting ',' delimiter");
      at++;
    }
  }
  function hex4() {
    const digits = text.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) fail('invalid \\uXXXX escape');
    at += 4;
    return parseInt(digits, 16);
  }
  function string() {
    at++;
    let out = '';
    for (;;) {
      if (at >= text.length) fail('unterminated string');
      const ch = text[at];
      const code = ch.charCodeAt(0);
      if (ch === '"') { at++; return out; }
      if (code < 0x20) fail('invalid control character');
      if (ch !== '\\') { out += ch; at++; continue; }
      const esc = text[at + 1];
      at += 2;
      const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (esc in simple) { out += simple[esc]; continue; }
      if (esc !== 'u') { at -= 2; fail('invalid \\escape'); }
      let unit = hex4();
      if (unit >= 0xd800 && unit <= 0xdbff && text[at] === '\\' && text[at + 1] === 'u') {
        const save = at;
        at += 2;
        const low = hex4();
        if (low >= 0xdc00 && low <= 0xdfff) {
          out += String.fromCharCode(unit, low);
          continue;
        }
        at = save;
      }
      out += String.fromCharCode(unit);
    }
  }
  skip();
  const result = value();
  skip();
  if (at !== text.length) fail('extra data');
  return result;
}

function hasLoneSurrogate(s) {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}

// Python's repr() of a float: the shortest digits that read back the same (as JavaScript finds
// them), written as Python writes them.
function pyFloatRepr(x) {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa, exponentText] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = parseInt(exponentText, 10);
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
    const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    return `${sign}${whole}.${digits.slice(exp + 1) || '0'}`;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function codePointCompare(a, b) {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0) - y[i].codePointAt(0);
    if (d) return d;
  }
  return x.length - y.length;
}

// The canonical form of custody.py: sorted keys, no spaces, non-ASCII as it is. A string with a
// lone surrogate cannot be UTF-8, so it has no canonical form (Python fails to encode it too).
function pyCanonical(v) {
  if (v === null || v === undefined) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (v instanceof PyInt) return v.v.toString();
  if (v instanceof PyFloat) return pyFloatRepr(v.v);
  if (typeof v === 'string') {
    if (hasLoneSurrogate(v)) throw new JsonProblem('a string is not valid Unicode');
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(pyCanonical).join(',')}]`;
  if (v instanceof Map) {
    const keys = [...v.keys()].sort(codePointCompare);
    return `{${keys.map((k) => `${pyCanonical(k)}:${pyCanonical(v.get(k))}`).join(',')}}`;
  }
  throw new JsonProblem('not a JSON value');
}

function pyNumber(v) {
  if (v === true) return 1;
  if (v === false) return 0;
  if (v instanceof PyInt) return v.v;
  if (v instanceof PyFloat) return v.v;
  return undefined;
}

// Python's ==, for values read from JSON (missing keys are None).
function pyEq(a, b) {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  const x = pyNumber(a);
  const y = pyNumber(b);
  if (x !== undefined || y !== undefined) {
    if (x === undefined || y === undefined) return false;
    if (typeof x === 'bigint' && typeof y === 'bigint') return x === y;
    if (typeof x === 'bigint') return Number.isInteger(y) ? x === BigInt(y) : false;
    if (typeof y === 'bigint') return Number.isInteger(x) ? y === BigInt(x) : false;
    return x === y;
  }
  if (a === null || b === null) return a === b;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => pyEq(item, b[i]));
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, item] of a) if (!b.has(k) || !pyEq(item, b.get(k))) return false;
    return true;
  }
  return false;
}

function pyTruthy(v) {
  if (v === null || v === undefined || v === false) return false;
  if (v instanceof PyInt) return v.v !== 0n;
  if (v instanceof PyFloat) return v.v !== 0;
  if (typeof v === 'string' || Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  return true;
}

function pyRepr(v) {
  if (typeof v === 'string') {
    const q = v.includes("'") && !v.includes('"') ? '"' : "'";
    return q + v.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`) + q;
  }
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return pyStr(v);
}

// Python's str() of such a value.
function pyStr(v) {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v instanceof PyInt) return v.v.toString();
  if (v instanceof PyFloat) {
    const r = pyFloatRepr(v.v);
    return r === 'NaN' ? 'nan' : r === 'Infinity' ? 'inf' : r === '-Infinity' ? '-inf' : r;
  }
  if (typeof v === 'string') return v;
  return pyRepr(v);
}

function pyGet(mapping, key) {
  return mapping instanceof Map && mapping.has(key) ? mapping.get(key) : null;
}

function pyMapping(v) {
  return v instanceof Map ? v : new Map();
}

// Whitespace as Python's str.strip() and str.split() know it.
const PY_SPACE = '\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005' +
  '\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

function pyStrip(s) {
  let start = 0;
  let end = s.length;
  while (start < end && PY_SPACE.includes(s[start])) start++;
  while (end > start && PY_SPACE.includes(s[end - 1])) end--;
  return s.slice(start, end);
}

function pySplit(s) {
  const out = [];
  let word = '';
  for (const ch of s) {
    if (PY_SPACE.includes(ch)) { if (word) out.push(word); word = ''; } else word += ch;
  }
  if (word) out.push(word);
  return out;
}

// str.splitlines(): every line boundary Python knows, no empty last line.
function pySplitlines(s) {
  const lines = s.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function pyLen(s) {
  return Array.from(s).length;
}
