// The bundle format's rules, as evidence_kit/bundle/format/ states them: names and places
// (layout.py), tag files read strictly (bag.py).

const FORMAT = 'evidence-bundle-v1';
const NAMESPACE = 'evidence-bundle-v1';
const PRINCIPAL = 'evidence-seal';
const EXPORT_ACTION = 'bundle exported';
const GENESIS_ACTION = 'vault created';
const VERIFY_TXT = 'VERIFY.txt';
const VERIFY_HTML = 'evidence-kit-verify.html';
const CUSTODY_LOG = 'custody/continuity-log.jsonl';
const ITEM_JSON = 'item.json';
const MESSAGES = 'messages.jsonl';
const ALGOS = ['sha256', 'sha512'];
const TAG_FILES = ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt', 'manifest-sha512.txt'];
const TAG_MANIFESTS = ['tagmanifest-sha256.txt', 'tagmanifest-sha512.txt'];
const SSHSIG_FILE = 'tagmanifest-sha256.txt.sshsig';
const RAWSIG_FILE = 'tagmanifest-sha256.txt.sig';
const ALLOWED_SIGNERS = 'allowed_signers';
const PUBLIC_PEM = 'signer-ed25519.pub.pem';
const SEAL_TOKEN = 'tagmanifest-sha256.txt.tsr';
const SEAL_FILES = new Set([SSHSIG_FILE, RAWSIG_FILE, ALLOWED_SIGNERS, PUBLIC_PEM, SEAL_TOKEN, 'tsa-chain.pem']);
const RECEIVED_FILES = new Set([...TAG_FILES, ...TAG_MANIFESTS, ...SEAL_FILES]);
const TOP_FILES = new Set([VERIFY_TXT, VERIFY_HTML]);
const BUNDLE_ID = /^EVB-[0-9]{8}-[0-9A-F]{8}$/;
const MAX_PART = 100;
const MAX_PATH = 180;
const PART = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const RESERVED = /^(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?$/i;

const BAGIT_TXT = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';
const BAG_INFO_FIELDS = [
  'Source-Organization', 'Contact-Name', 'External-Identifier', 'External-Description',
  'Bagging-Date', 'Payload-Oxum', 'Bag-Software-Agent', 'Bag-Group-Identifier',
  'Evidence-Bundle-Format', 'Evidence-Sealed-At', 'Evidence-Seal-Key-Fingerprint',
  'Evidence-Audience', 'Evidence-Verify-Txt-Sha256',
];
const OPTIONAL_FIELDS = ['Evidence-Verify-Html-Sha256'];
const HEX = { sha256: /^[0-9a-f]{64}$/, sha512: /^[0-9a-f]{128}$/ };

function payloadNameProblem(name) {
  if (pyLen(name) > MAX_PATH) return `is longer than ${MAX_PATH} characters`;
  for (const part of name.split('/')) {
    if (!PART.test(part)) return "is not plain ASCII letters, digits, '.', '_' and '-'";
    if (part.length > MAX_PART) return `has a part longer than ${MAX_PART} characters`;
    if (RESERVED.test(part) || part.endsWith('.')) return 'is a name Windows cannot create';
  }
  return null;
}

function placeProblem(name) {
  const slash = name.indexOf('/');
  if (slash < 0) return TOP_FILES.has(name) ? null : 'does not belong in a bundle';
  const top = name.slice(0, slash);
  const rest = name.slice(slash + 1);
  if (top === 'bag') {
    if (!rest.includes('/')) {
      return TAG_FILES.includes(rest) || TAG_MANIFESTS.includes(rest) ? null : 'is not a tag file of this bag';
    }
    if (!rest.startsWith('data/')) return 'is not under bag/data/';
    return payloadNameProblem(name);
  }
  if (top === 'seal') return SEAL_FILES.has(rest) ? null : 'does not belong in seal/';
  if (top === 'received') {
    const cut = rest.indexOf('/');
    const bundle = cut < 0 ? rest : rest.slice(0, cut);
    const file = cut < 0 ? '' : rest.slice(cut + 1);
    if (!BUNDLE_ID.test(bundle) || !RECEIVED_FILES.has(file)) {
      return 'does not belong in received/ (received/<EVB-id>/<tag or seal file>)';
    }
    return null;
  }
  return 'does not belong in a bundle';
}

function decodeUtf8(bytes) {
  try {
    return UTF8_STRICT.decode(bytes);
  } catch (e) {
    return null;
  }
}

// Manifest lines in our exact form ("<lowercase hex>  <path>\n", sorted); anything else is a
// problem, never read silently. Returns {entries: Map, problems}.
function parseManifest(raw, algorithm) {
  const entries = new Map();
  const problems = [];
  if (raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) problems.push('starts with a byte-order mark');
  if (raw.includes(13)) problems.push('has CR line endings');
  if (raw.length && raw[raw.length - 1] !== 10) problems.push('does not end with a line feed');
  const text = decodeUtf8(raw);
  if (text === null) return { entries: new Map(), problems: ['is not UTF-8 text'] };
  const lines = text ? text.split('\n').slice(0, -1) : [];
  const paths = [];
  lines.forEach((line, i) => {
    const cut = line.indexOf('  ');
    const digest = cut < 0 ? line : line.slice(0, cut);
    const path = cut < 0 ? '' : line.slice(cut + 2);
    if (cut < 0 || !HEX[algorithm].test(digest) || !path) {
      problems.push(`line ${i + 1} is not '<hex>  <path>'`);
      return;
    }
    if (entries.has(path)) problems.push(`lists ${path} twice`);
    entries.set(path, digest);
    paths.push(path);
  });
  const sorted = [...paths].sort(codePointCompare);
  if (paths.some((p, i) => p !== sorted[i])) problems.push('is not sorted by path');
  return { entries, problems };
}

// bag-info.txt as bag.parse_bag_info reads it: {fields: Map, problems}.
function parseBagInfo(raw) {
  const problems = [];
  const fields = new Map();
  const text = decodeUtf8(raw);
  if (text === null) return { fields, problems: ['bag-info.txt is not UTF-8 text'] };
  pySplitlines(text).forEach((line, i) => {
    if ((line[0] === ' ' || line[0] === '\t') && fields.size) {
      const last = [...fields.keys()].pop();
      fields.set(last, `${fields.get(last)} ${pyStrip(line)}`);
      return;
    }
    const cut = line.indexOf(':');
    const name = cut < 0 ? line : line.slice(0, cut);
    if (cut < 0 || !pyStrip(name)) {
      problems.push(`bag-info.txt line ${i + 1} is not 'Name: value'`);
      return;
    }
    const key = pyStrip(name);
    if (fields.has(key)) problems.push(`bag-info.txt gives ${key} twice`);
    fields.set(key, pyStrip(line.slice(cut + 1)));
  });
  return { fields, problems };
}
