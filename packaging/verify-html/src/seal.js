// The seal: the Ed25519 key in both of its files, its two fingerprints (keys.py), the SSH
// signature (sshsig.py) and the raw signature over bag/tagmanifest-sha256.txt.

const ASCII = new TextEncoder();
const te = (s) => ASCII.encode(s);

function b64encode(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

// base64.b64decode(text, validate=True): the alphabet only, padding right; null where it fails.
function b64decodeStrict(text) {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4) return null;
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch (e) {
    return null;
  }
}

function concatBytes(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function sshString(bytes) {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

function publicBlob(raw) {
  return concatBytes(sshString(te('ssh-ed25519')), sshString(raw));
}

async function fingerprint(raw) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', publicBlob(raw)));
  return `SHA256:${b64encode(digest).replace(/=+$/, '')}`;
}

async function readAloud(raw) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-512', raw)).subarray(0, 40);
  const groups = [];
  for (let i = 0; i < 40; i += 5) {
    let n = 0;
    for (let j = 0; j < 5; j++) n = n * 256 + digest[i + j];
    groups.push(String(n % 100000).padStart(5, '0'));
  }
  return groups.join(' ');
}

// A fingerprint as a person may give it: SHA256:… (exact) or the 40 read-aloud digits with any
// spacing or dashes. Null when it is neither.
function normaliseFingerprint(text) {
  text = pyStrip(text);
  if (text.startsWith('SHA256:') && text.length > 7) return text;
  const chars = Array.from(text);
  const digits = chars.filter((ch) => /\p{Nd}/u.test(ch)).join('');
  if (Array.from(digits).length === 40 && chars.every((ch) => /\p{Nd}/u.test(ch) || ' -\t'.includes(ch))) {
    const groups = [];
    for (let i = 0; i < 40; i += 5) groups.push(digits.slice(i, i + 5));
    return groups.join(' ');
  }
  return null;
}

async function keyMatches(raw, given) {
  const wanted = normaliseFingerprint(given);
  if (wanted === null) return false;
  if (/^\d{5}( \d{5}){7}$/.test(wanted)) return wanted === await readAloud(raw);
  return wanted === await fingerprint(raw);
}

function allowedSignersText(raw) {
  return `${PRINCIPAL} ssh-ed25519 ${b64encode(publicBlob(raw))}\n`;
}

const SPKI_ED25519 = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

function publicPem(raw) {
  const body = b64encode(concatBytes(SPKI_ED25519, raw));
  const lines = body.match(/.{1,64}/g).join('\n');
  return `-----BEGIN PUBLIC KEY-----\n${lines}\n-----END PUBLIC KEY-----\n`;
}

// The key of a PEM file: {raw} for an Ed25519 public key, {problem} otherwise.
function readPem(bytes) {
  const text = new TextDecoder('latin1').decode(bytes);
  const m = /-----BEGIN PUBLIC KEY-----([\s\S]*?)-----END PUBLIC KEY-----/.exec(text);
  const der = m ? b64decodeStrict(m[1].replace(/[\r\n\t ]/g, '')) : null;
  if (!der || der.length < 2 || der[0] !== 0x30) return { problem: 'cannot be read' };
  if (der.length === 44 && sameBytes(der.subarray(0, 12), SPKI_ED25519)) return { raw: der.subarray(12) };
  return { problem: 'is not an Ed25519 key' };
}

function armor(blob) {
  const text = b64encode(blob);
  const lines = text.match(/.{1,70}/g) || [];
  return `${['-----BEGIN SSH SIGNATURE-----', ...lines, '-----END SSH SIGNATURE-----'].join('\n')}\n`;
}

function asciiText(bytes) {
  return bytes.every((b) => b < 0x80) ? new TextDecoder('latin1').decode(bytes) : null;
}

// sshsig.rearmored: the exact armored form of the signature in `bytes`, or null.
function rearmored(bytes) {
  const text = asciiText(bytes);
  if (text === null) return null;
  const lines = pySplitlines(pyStrip(text));
  const blob = b64decodeStrict(lines.slice(1, -1).map(pyStrip).join(''));
  return blob === null ? null : armor(blob);
}

class SshSigError extends Error {}

function parseSshsig(bytes) {
  const text = asciiText(bytes);
  if (text === null) throw new SshSigError('the signature file is not ASCII');
  const lines = pySplitlines(pyStrip(text));
  if (lines.length < 3 || pyStrip(lines[0]) !== '-----BEGIN SSH SIGNATURE-----' ||
      pyStrip(lines[lines.length - 1]) !== '-----END SSH SIGNATURE-----') {
    throw new SshSigError('the signature file lacks its BEGIN/END SSH SIGNATURE lines');
  }
  const blob = b64decodeStrict(lines.slice(1, -1).map(pyStrip).join(''));
  if (blob === null) throw new SshSigError('the signature is not valid base64');
  let pos = 0;
  const take = (n, from = blob, at = null) => {
    if (pos + n > blob.length) throw new SshSigError('the signature is cut short');
    const chunk = blob.subarray(pos, pos + n);
    pos += n;
    return chunk;
  };
  const u32be = () => { const b = take(4); return ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3]; };
  const string = () => take(u32be());
  if (!sameBytes(take(6), te('SSHSIG')) || u32be() !== 1) {
    throw new SshSigError('the signature is not an SSHSIG version 1 signature');
  }
  const inner = (bytesIn) => {
    let p = 0;
    const str = () => {
      if (p + 4 > bytesIn.length) throw new SshSigError('the signature is cut short');
      const n = ((bytesIn[p] << 24) >>> 0) + (bytesIn[p + 1] << 16) + (bytesIn[p + 2] << 8) + bytesIn[p + 3];
      p += 4;
      if (p + n > bytesIn.length) throw new SshSigError('the signature is cut short');
      const out = bytesIn.subarray(p, p + n);
      p += n;
      return out;
    };
    return str;
  };
  const key = inner(string());
  if (!sameBytes(key(), te('ssh-ed25519'))) throw new SshSigError('the signature is not made with an Ed25519 key');
  const publicRaw = key();
  const latin = (b) => Array.from(b, (x) => (x < 0x80 ? String.fromCharCode(x) : '\ufffd')).join('');
  const namespace = latin(string());
  string(); // reserved
  const hashAlgorithm = latin(string());
  const sig = inner(string());
  if (!sameBytes(sig(), te('ssh-ed25519'))) throw new SshSigError('the signature is not an Ed25519 signature');
  const signature = sig();
  if (pos !== blob.length || publicRaw.length !== 32 || signature.length !== 64) {
    throw new SshSigError('the signature has the wrong length');
  }
  return { publicRaw, namespace, hashAlgorithm, signature };
}

// Ed25519 by the browser's Web Crypto where it has it, else by the inlined noble-ed25519.
const ED25519 = { engine: null };
const RFC8032_TEST1 = {
  pub: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
};
const fromHex = (h) => Uint8Array.from(h.match(/../g), (x) => parseInt(x, 16));

async function webCryptoVerify(pub, sig, msg) {
  const key = await crypto.subtle.importKey('raw', pub, { name: 'Ed25519' }, false, ['verify']);
  return crypto.subtle.verify({ name: 'Ed25519' }, key, sig, msg);
}

async function ed25519Engine() {
  if (ED25519.engine) return ED25519.engine;
  const forced = new URLSearchParams(location.search).get('ed25519');
  let native = false;
  if (forced !== 'js') {
    try {
      native = await webCryptoVerify(fromHex(RFC8032_TEST1.pub), fromHex(RFC8032_TEST1.sig), new Uint8Array(0));
    } catch (e) {
      native = false;
    }
  }
  ED25519.engine = native
    ? { name: "the browser's own Web Crypto", verify: webCryptoVerify }
    : {
      name: `noble-ed25519 ${NOBLE_ED25519_VERSION} (JavaScript inlined in this page; this browser's Web Crypto has no Ed25519)`,
      verify: (pub, sig, msg) => nobleEd25519.verifyAsync(sig, msg, pub, { zip215: false }),
    };
  return ED25519.engine;
}

async function ed25519Verify(pub, sig, msg) {
  const engine = await ed25519Engine();
  if (pub.length !== 32 || sig.length !== 64) return false;
  try {
    return await engine.verify(pub, sig, msg);
  } catch (e) {
    return false;
  }
}

// sshsig.verify: null when the signature is good for this key and namespace, else what is wrong.
async function verifySshsig(armored, message, publicRaw, namespace) {
  let parsed;
  try {
    parsed = parseSshsig(armored);
  } catch (e) {
    if (e instanceof SshSigError) return e.message;
    throw e;
  }
  if (!sameBytes(parsed.publicRaw, publicRaw)) {
    return 'it was made with a different key from the one in allowed_signers';
  }
  if (parsed.namespace !== namespace) return `its namespace is '${parsed.namespace}', not '${namespace}'`;
  if (parsed.hashAlgorithm !== 'sha512' && parsed.hashAlgorithm !== 'sha256') {
    return `it uses an unknown hash '${parsed.hashAlgorithm}'`;
  }
  const digest = new Uint8Array(await crypto.subtle.digest(ALGORITHMS[parsed.hashAlgorithm], message));
  const signed = concatBytes(te('SSHSIG'), sshString(te(namespace)), sshString(new Uint8Array(0)),
    sshString(te(parsed.hashAlgorithm)), sshString(digest));
  if (!(await ed25519Verify(publicRaw, parsed.signature, signed))) {
    return 'the signature does not match the tag manifest';
  }
  return null;
}
