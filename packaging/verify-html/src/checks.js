// Every check of `evidence-kit verify` (evidence_kit/bundle/verify/), with the same ids and names,
// in the same order, each judged from facts read once. A check is {id, name, passed, detail}.

const SHOWN = 8;

function check(id, name, problems, good) {
  if (!problems.length) return { id, name, passed: true, detail: good };
  let shown = problems.slice(0, SHOWN).join('; ');
  if (problems.length > SHOWN) shown += `; and ${problems.length - SHOWN} more`;
  return { id, name, passed: false, detail: shown };
}

const one = (id, name, passed, detail) => ({ id, name, passed, detail });

async function gatherFacts(source, sidecar, expectKey, onProgress) {
  const f = { source, sidecar: null, expectKey, manifests: {}, tagmanifests: {}, events: [], eventProblems: [] };
  f.member = (name) => source.read(name);
  f.infoRaw = await f.member('bag/bag-info.txt');
  ({ fields: f.info, problems: f.infoProblems } = parseBagInfo(f.infoRaw || new Uint8Array(0)));
  for (const a of ALGOS) {
    const raw = await f.member(`bag/manifest-${a}.txt`);
    f.manifests[a] = raw === null ? null : parseManifest(raw, a);
    f.tagmanifests[a] = await f.member(`bag/tagmanifest-${a}.txt`);
  }
  f.payload = [...source.names.keys()].filter((n) => n.startsWith('bag/data/')).map((n) => n.slice(4))
    .sort(codePointCompare);
  if (source.isZip && sidecar) f.sidecar = sidecar;
  const hashed = [
    ...f.payload.map((p) => `bag/${p}`),
    ...TAG_FILES.map((n) => `bag/${n}`),
    ...[...source.names.keys()].filter((n) => !n.includes('/')),
    ...[...source.names.keys()].filter((n) => n.startsWith('received/')),
  ];
  f.digests = await hashAll(source, hashed, f.sidecar ? source.file : null, onProgress);
  f.digest = (name, a = 'sha256') => (f.digests.get(name) || {})[a] ?? null;
  f.entries = (a = 'sha256') => (f.manifests[a] ? f.manifests[a].entries : new Map());
  f.key = await readKey(f, 'seal');
  await readCustody(f);
  return f;
}

async function readKey(f, folder) {
  const problems = [];
  let fromSsh = null;
  const allowed = await f.member(`${folder}/${ALLOWED_SIGNERS}`);
  if (allowed === null) problems.push(`${folder}/${ALLOWED_SIGNERS} is missing`);
  else {
    const parts = pySplit(Array.from(allowed, (b) => (b < 0x80 ? String.fromCharCode(b) : '\ufffd')).join(''));
    if (parts.length < 3 || parts[0] !== PRINCIPAL || parts[1] !== 'ssh-ed25519') {
      problems.push(`${folder}/${ALLOWED_SIGNERS} is not 'evidence-seal ssh-ed25519 …'`);
    } else {
      const blob = b64decodeStrict(parts[2]) || new Uint8Array(0);
      if (blob.length === 51 && sameBytes(blob, publicBlob(blob.subarray(19)))) fromSsh = blob.subarray(19);
      else problems.push(`the key in ${folder}/${ALLOWED_SIGNERS} is not an Ed25519 key`);
    }
  }
  let fromPem = null;
  const pem = await f.member(`${folder}/${PUBLIC_PEM}`);
  if (pem === null) problems.push(`${folder}/${PUBLIC_PEM} is missing`);
  else {
    const read = readPem(pem);
    if (read.raw) fromPem = read.raw;
    else problems.push(`${folder}/${PUBLIC_PEM} ${read.problem}`);
  }
  return { fromSsh, fromPem, problems };
}

async function readCustody(f) {
  const raw = await f.member(`bag/data/${CUSTODY_LOG}`);
  if (raw === null) return;
  f.custodyPresent = true;
  const text = decodeUtf8(raw);
  if (text === null) { f.eventProblems.push('the log is not UTF-8 text'); return; }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => {
    let event = null;
    try { event = pyJsonLoads(line); } catch (e) { event = null; }
    if (!(event instanceof Map)) { f.eventProblems.push(`line ${i + 1} is not a JSON event`); return; }
    f.events.push(event);
  });
}

function signer(f) {
  const key = f.key;
  if (!key || key.fromSsh === null) return null;
  if (key.fromPem !== null && !sameBytes(key.fromPem, key.fromSsh)) return null;
  return key.fromSsh;
}

// -- the container and the bag ------------------------------------------------------------------

function containerCheck(f) {
  return f.source.isZip
    ? check('container', 'zip safety', f.source.problems, 'one folder, no unsafe names, links or hidden bytes; both headers of every entry agree; stored or deflate only; sizes within limits')
    : check('container', 'folder safety', f.source.problems, 'no links, unsafe names or special files');
}

function layoutCheck(f) {
  const problems = [];
  if (!BUNDLE_ID.test(f.source.top)) problems.push(`the top folder '${f.source.top}' is not named EVB-<date>-<id>`);
  for (const needed of [VERIFY_TXT, 'bag/bagit.txt', 'bag/bag-info.txt']) {
    if (!f.source.names.has(needed)) problems.push(`${needed} is missing`);
  }
  for (const name of [...f.source.names.keys()].sort(codePointCompare)) {
    const problem = placeProblem(name);
    if (problem) problems.push(`${quoteName(name)} ${problem}`);
  }
  return check('layout', 'bundle layout', problems, 'one EVB-<id> folder holding VERIFY.txt, bag/ and seal/ (and the optional files of the format), every payload name plain ASCII');
}

async function bagitCheck(f) {
  const raw = await f.member('bag/bagit.txt');
  const good = raw !== null && sameBytes(raw, te(BAGIT_TXT));
  return one('bagit', 'bagit.txt', good, good ? 'BagIt-Version 1.0, UTF-8' : 'bagit.txt is missing or is not the BagIt 1.0 declaration');
}

function bagInfoCheck(f) {
  const info = f.info;
  const problems = [...f.infoProblems];
  if (f.infoRaw === null) problems.push('bag-info.txt is missing');
  for (const name of BAG_INFO_FIELDS) if (!info.get(name)) problems.push(`bag-info.txt lacks ${name}`);
  const known = new Set([...BAG_INFO_FIELDS, ...OPTIONAL_FIELDS]);
  for (const n of info.keys()) if (!known.has(n)) problems.push(`bag-info.txt has an unknown field '${n}'`);
  if (info.has('Evidence-Bundle-Format') && info.get('Evidence-Bundle-Format') !== FORMAT) {
    problems.push(`the format is '${info.get('Evidence-Bundle-Format')}'`);
  }
  if (info.has('External-Identifier') && info.get('External-Identifier') !== f.source.top) {
    problems.push('External-Identifier does not match the folder name');
  }
  return check('bag-info', 'bag-info.txt', problems, `all ${BAG_INFO_FIELDS.length} fields`);
}

function manifestChecks(f) {
  return ALGOS.map((a) => {
    const parsed = f.manifests[a];
    const name = `manifest-${a}.txt`;
    return parsed === null
      ? one(`manifest-${a}`, name, false, 'missing')
      : check(`manifest-${a}`, name, parsed.problems, `${parsed.entries.size} files, in the exact form`);
  });
}

function completenessCheck(f) {
  const problems = [];
  const present = new Set(f.payload);
  for (const a of ALGOS) {
    const entries = f.entries(a);
    for (const p of [...entries.keys()].filter((x) => !present.has(x)).sort(codePointCompare)) {
      problems.push(`${p} is in manifest-${a}.txt but missing`);
    }
    for (const p of [...present].filter((x) => !entries.has(x)).sort(codePointCompare)) {
      problems.push(`${p} is not in manifest-${a}.txt`);
    }
  }
  return check('complete', 'nothing missing, nothing extra', problems, `${present.size} payload files, each listed in both manifests`);
}

function oxumCheck(f) {
  const octets = f.payload.reduce((n, p) => n + f.source.names.get(`bag/${p}`), 0);
  const expected = `${octets}.${f.payload.length}`;
  const stated = f.info.has('Payload-Oxum') ? f.info.get('Payload-Oxum') : null;
  return one('payload-oxum', 'Payload-Oxum', stated === expected,
    stated === expected ? `${expected} (bytes.files)` : `bag-info.txt says ${stated}, the bag holds ${expected}`);
}

function payloadChecks(f) {
  return ALGOS.map((a) => {
    const entries = f.entries(a);
    const listed = f.payload.filter((p) => entries.has(p));
    const bad = listed.filter((p) => f.digest(`bag/${p}`, a) !== entries.get(p))
      .map((p) => (f.digest(`bag/${p}`, a) === null ? `${p} could not be read` : `${p} does not match`));
    return check(`payload-${a}`, `payload files match manifest-${a}.txt`, bad, `${listed.length} files read and hashed`);
  });
}

function tagManifestChecks(f) {
  return ALGOS.map((a) => {
    const name = `tagmanifest-${a}.txt`;
    const raw = f.tagmanifests[a];
    if (raw === null) return one(`tagmanifest-${a}`, name, false, 'missing');
    const parsed = parseManifest(raw, a);
    const problems = [...parsed.problems];
    const covered = [...parsed.entries.keys()].sort(codePointCompare);
    if (covered.join('\n') !== [...TAG_FILES].sort(codePointCompare).join('\n')) {
      problems.push('it does not cover exactly bagit.txt, bag-info.txt and both manifests');
    }
    for (const [tag, digest] of parsed.entries) {
      if (f.digest(`bag/${tag}`, a) !== digest) problems.push(`${tag} does not match`);
    }
    return check(`tagmanifest-${a}`, name, problems, 'bagit.txt, bag-info.txt and both manifests match');
  });
}

function sealedBesideChecks(f) {
  const out = [];
  for (const [id, name, field, required] of [
    ['verify-txt', VERIFY_TXT, 'Evidence-Verify-Txt-Sha256', true],
    ['verify-html', VERIFY_HTML, 'Evidence-Verify-Html-Sha256', false],
  ]) {
    const stated = f.info.get(field) || '';
    const present = f.source.names.has(name);
    if (!required && !present && !stated) continue;
    const actual = f.digest(name);
    let detail;
    if (!present) detail = `${name} is missing (bag-info.txt records its SHA-256)`;
    else if (!stated) detail = `${name} is here but bag-info.txt does not seal it`;
    else if (actual !== stated) detail = `${name} has been changed since the bundle was sealed`;
    else detail = 'unchanged (its SHA-256 is sealed in bag-info.txt)';
    out.push(one(id, name, present && Boolean(stated) && actual === stated, detail));
  }
  return out;
}

// -- the seal ------------------------------------------------------------------------------------

async function keyProblems(f, key, folder) {
  const problems = [...key.problems];
  const { fromSsh, fromPem } = key;
  if (fromSsh && fromPem && !sameBytes(fromSsh, fromPem)) {
    problems.push(`${folder}/allowed_signers and ${PUBLIC_PEM} hold different keys`);
  }
  const allowed = await f.member(`${folder}/${ALLOWED_SIGNERS}`);
  if (fromSsh && allowed !== null && !sameBytes(allowed, te(allowedSignersText(fromSsh)))) {
    problems.push(`${folder}/${ALLOWED_SIGNERS} is not in its exact form`);
  }
  const pem = await f.member(`${folder}/${PUBLIC_PEM}`);
  if (fromPem && pem !== null && !sameBytes(pem, te(publicPem(fromPem)))) {
    problems.push(`${folder}/${PUBLIC_PEM} is not in its exact form`);
  }
  const armored = await f.member(`${folder}/${SSHSIG_FILE}`);
  if (armored !== null) {
    const exact = rearmored(armored);
    if (exact === null || !sameBytes(armored, te(exact))) problems.push(`${folder}/${SSHSIG_FILE} is not in its exact form`);
  }
  return problems;
}

async function sealKeyCheck(f) {
  const key = f.key;
  const problems = await keyProblems(f, key, 'seal');
  const raw = signer(f);
  const stated = f.info.has('Evidence-Seal-Key-Fingerprint') ? f.info.get('Evidence-Seal-Key-Fingerprint') : null;
  if (raw !== null && stated !== await fingerprint(raw)) {
    problems.push(`bag-info.txt names the key ${stated}, but it was sealed with ${await fingerprint(raw)}`);
  }
  const good = raw ? `${await fingerprint(raw)} (read aloud: ${await readAloud(raw)})` : '';
  return check('seal-key', 'seal key', problems, `${good}, the same in allowed_signers, the PEM file and bag-info.txt`);
}

async function signatureChecks(f, folder, raw, tagmanifest, pemKey) {
  const out = [];
  const armored = await f.member(`${folder}/${SSHSIG_FILE}`);
  if (armored === null || tagmanifest === null || raw === null) {
    out.push(one('ssh-signature', 'SSH signature', false, 'the signature, the tag manifest or the key is missing'));
  } else {
    const problem = await verifySshsig(armored, tagmanifest, raw, NAMESPACE);
    out.push(one('ssh-signature', 'SSH signature', problem === null,
      problem || `good ${NAMESPACE} signature by ${PRINCIPAL} over the tag manifest`));
  }
  const rawSig = await f.member(`${folder}/${RAWSIG_FILE}`);
  if (rawSig === null || tagmanifest === null || pemKey === null) {
    out.push(one('ed25519-signature', 'Ed25519 signature', false, 'the signature, the tag manifest or the key is missing'));
  } else if (await ed25519Verify(pemKey, rawSig, tagmanifest)) {
    out.push(one('ed25519-signature', 'Ed25519 signature', true, 'good raw signature over the tag manifest'));
  } else {
    out.push(one('ed25519-signature', 'Ed25519 signature', false, 'the signature does not match the tag manifest'));
  }
  return out;
}

async function expectedKeyCheck(f) {
  if (!f.expectKey) return [];
  const raw = signer(f);
  const given = pyStrip(f.expectKey);
  if (normaliseFingerprint(given) === null) {
    return [one('expected-key', 'seal key is the expected one', false,
      `'${given}' is not a fingerprint (SHA256:… or eight groups of five digits)`)];
  }
  const good = raw !== null && await keyMatches(raw, given);
  const shown = raw ? `${await fingerprint(raw)} (${await readAloud(raw)})` : 'an unknown key';
  return [one('expected-key', 'seal key is the expected one', good,
    good ? `${shown} is the key you expected` : `the bundle was sealed with ${shown}, not ${given}`)];
}

async function receivedCheck(f) {
  const senders = [...new Set([...f.source.names.keys()].filter((n) => n.startsWith('received/'))
    .map((n) => n.split('/')[1]))].sort(codePointCompare);
  if (!senders.length) return [];
  const problems = [];
  const good = [];
  for (const sender of senders) {
    const folder = `received/${sender}`;
    const key = await readKey(f, folder);
    const found = await keyProblems(f, key, folder);
    const raw = key.fromSsh;
    const tagmanifest = await f.member(`${folder}/tagmanifest-sha256.txt`);
    for (const c of await signatureChecks(f, folder, raw, tagmanifest, raw)) {
      if (!c.passed) found.push(`${folder}: ${c.detail}`);
    }
    if (tagmanifest !== null) {
      const parsed = parseManifest(tagmanifest, 'sha256');
      for (const p of parsed.problems) found.push(`${folder}/tagmanifest-sha256.txt ${p}`);
      for (const [tag, digest] of parsed.entries) {
        const data = await f.member(`${folder}/${tag}`);
        if (data !== null && await webDigest('sha256', data) !== digest) {
          found.push(`${folder}/${tag} does not match the sender's tag manifest`);
        }
      }
    }
    problems.push(...found);
    if (!found.length && raw !== null) good.push(`${sender} sealed by ${await fingerprint(raw)} (${await readAloud(raw)})`);
  }
  return [check('received', 'seals of received bundles', problems, good.join('; '))];
}

// -- custody ---------------------------------------------------------------------------------

const LINK_KEYS = ['hash', 'prev_hash', 'seq'];
const BODY_KEYS = ['seq', 'at', 'actor', 'action', 'subject', 'details', 'prev_hash'];
const isLink = (e) => e.size === 3 && LINK_KEYS.every((k) => e.has(k));
const isPyInt = (v) => v instanceof PyInt;

async function eventHash(event) {
  const body = new Map(BODY_KEYS.map((k) => [k, pyGet(event, k)]));
  return webDigest('sha256', te(pyCanonical(body)));
}

// custody.check_chain.
async function chainProblems(events) {
  const problems = [];
  let expectedPrev = '0'.repeat(64);
  let expectedSeq = 1n;
  for (const event of events) {
    const seq = pyGet(event, 'seq');
    const where = `custody event ${pyStr(seq)}`;
    const link = isLink(event);
    if (!pyEq(seq, new PyInt(expectedSeq))) problems.push(`${where} is out of sequence: expected event ${expectedSeq}`);
    if (!pyEq(pyGet(event, 'prev_hash'), expectedPrev)) {
      problems.push(`${where} does not follow the event before it (the link is broken)`);
    }
    const digest = pyGet(event, 'hash');
    if (typeof digest !== 'string' || pyLen(digest) !== 64) problems.push(`${where} has no valid hash`);
    else if (!link) {
      const keys = new Set([...BODY_KEYS, 'hash']);
      if (event.size !== keys.size || ![...event.keys()].every((k) => keys.has(k))) {
        problems.push(`${where} is neither a whole event nor a link`);
      } else {
        let same = false;
        try { same = await eventHash(event) === digest; } catch (e) { same = false; }
        if (!same) problems.push(`${where} has been changed since it was recorded (its hash does not match)`);
      }
    }
    expectedPrev = pyStr(digest);
    expectedSeq = (isPyInt(seq) ? seq.v : expectedSeq) + 1n;
  }
  return problems;
}

async function chainCheck(f) {
  if (!f.custodyPresent) return one('custody-chain', 'custody chain', false, `data/${CUSTODY_LOG} is missing`);
  const problems = [...f.eventProblems, ...await chainProblems(f.events)];
  if (!f.events.length) problems.push('the log is empty');
  const whole = f.events.filter((e) => !isLink(e)).length;
  return check('custody-chain', 'custody chain', problems,
    `${f.events.length} events, each linked to the one before (${whole} shown in full, ${f.events.length - whole} of other evidence as links only)`);
}

async function signerFingerprint(f) {
  const raw = signer(f);
  return raw ? fingerprint(raw) : null;
}

async function genesisCheck(f) {
  const first = f.events.length ? f.events[0] : new Map();
  const details = pyMapping(pyGet(first, 'details'));
  const sealedBy = await signerFingerprint(f);
  const problems = [];
  if (!first.size || isLink(first) || !pyEq(pyGet(first, 'action'), GENESIS_ACTION)) {
    problems.push("the chain does not begin with the vault's 'vault created' event");
  } else if (sealedBy && !pyEq(pyGet(details, 'seal_key_fingerprint'), sealedBy)) {
    problems.push(`the vault was created with the key ${pyStr(pyGet(details, 'seal_key_fingerprint'))}, but the bundle was sealed with ${sealedBy}`);
  }
  return check('custody-genesis', 'custody begins with the sealing vault', problems,
    `event 1: the vault was created with the key that sealed this bundle, at ${pyStr(pyGet(first, 'at'))}`);
}

const infoGet = (f, k) => (f.info.has(k) ? f.info.get(k) : null);

async function exportCheck(f) {
  const last = f.events.length ? f.events[f.events.length - 1] : new Map();
  const details = pyMapping(pyGet(last, 'details'));
  const problems = [];
  if (isLink(last) || !pyEq(pyGet(last, 'action'), EXPORT_ACTION)) {
    problems.push(`the last event is ${pyRepr(pyGet(last, 'action'))}, not this export`);
  }
  if (!pyEq(pyGet(details, 'bundle_id'), infoGet(f, 'External-Identifier'))) {
    problems.push('the last event is the export of another bundle');
  }
  if (!pyEq(pyGet(details, 'seal_key_fingerprint'), await signerFingerprint(f))) {
    problems.push('the export event names another seal key than the one that sealed it');
  }
  if (infoGet(f, 'Evidence-Sealed-At') && !pyEq(pyGet(last, 'at'), infoGet(f, 'Evidence-Sealed-At'))) {
    problems.push("the export event's time differs from Evidence-Sealed-At");
  }
  return check('custody-export', 'custody ends with this export', problems,
    `event ${pyStr(pyGet(last, 'seq'))}: ${EXPORT_ACTION} ${pyStr(infoGet(f, 'External-Identifier'))} at ${pyStr(pyGet(last, 'at'))}`);
}

function exported(f) {
  const last = f.events.length ? f.events[f.events.length - 1] : new Map();
  const listed = pyGet(pyMapping(pyGet(last, 'details')), 'items');
  const out = new Map();
  if (!Array.isArray(listed)) return out;
  for (const e of listed) if (e instanceof Map) out.set(pyStr(pyGet(e, 'exhibit')), e);
  return out;
}

function messagesSha256(f, uid) {
  if (!pyTruthy(uid)) return null;
  const subjects = f.events
    .filter((e) => pyEq(pyGet(pyMapping(pyGet(e, 'details')), 'uid'), uid))
    .map((e) => pyGet(e, 'subject'));
  for (const event of f.events) {
    if (subjects.some((s) => pyEq(s, pyGet(event, 'subject'))) && pyEq(pyGet(event, 'action'), 'import parsed')) {
      const found = pyGet(pyMapping(pyGet(event, 'details')), 'messages_sha256');
      if (typeof found === 'string') return found;
    }
  }
  return null;
}

// json.loads of bytes: UTF-8 (a byte-order mark allowed) or UTF-16, as Python detects it.
function loadsBytes(raw) {
  let text;
  if (raw.length >= 2 && ((raw[0] === 0xff && raw[1] === 0xfe) || (raw[0] === 0xfe && raw[1] === 0xff))) {
    text = new TextDecoder(raw[0] === 0xff ? 'utf-16le' : 'utf-16be', { fatal: true }).decode(raw.subarray(2));
  } else if (raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) {
    text = UTF8_STRICT.decode(raw.subarray(3));
  } else {
    text = UTF8_STRICT.decode(raw);
  }
  return pyJsonLoads(text);
}

async function itemsCheck(f) {
  const problems = [];
  const manifest = f.entries('sha256');
  const listed = exported(f);
  const records = [...f.source.names.keys()]
    .filter((n) => n.startsWith('bag/data/items/') && n.endsWith(`/${ITEM_JSON}`)).sort(codePointCompare);
  for (const name of records) {
    const folder = name.slice(4, -ITEM_JSON.length);
    const raw = await f.member(name);
    let record = null;
    try { record = raw === null ? null : loadsBytes(raw); } catch (e) { record = null; }
    if (!(record instanceof Map)) { problems.push(`${folder}item.json cannot be read`); continue; }
    const file = pyGet(record, 'file');
    const sha = pyGet(record, 'sha256');
    if (pyTruthy(file)) {
      const inner = `${folder}${pyStr(file)}`;
      if (!pyEq(manifest.has(inner) ? manifest.get(inner) : null, sha)) {
        problems.push(`${inner}: item.json says ${pyStr(sha).slice(0, 12)}…, the manifest differs`);
      }
      if (!pyEq(f.digest(`bag/${inner}`), sha)) problems.push(`${inner} does not hash to the SHA-256 in item.json`);
    }
    const event = listed.has(pyStr(pyGet(record, 'exhibit'))) ? listed.get(pyStr(pyGet(record, 'exhibit'))) : null;
    if (event === null || !pyEq(pyGet(event, 'sha256'), sha) || !pyEq(pyGet(event, 'uid'), pyGet(record, 'uid'))) {
      problems.push(`${folder}item.json is not the exhibit the export event lists`);
    }
    const recorded = messagesSha256(f, pyGet(record, 'uid'));
    if (recorded !== null && f.digest(`bag/${folder}${MESSAGES}`) !== recorded) {
      problems.push(`${folder}${MESSAGES} differs from the messages the import recorded`);
    }
  }
  if (records.length !== listed.size) {
    problems.push(`the export event lists ${listed.size} exhibits, the bag holds ${records.length}`);
  }
  return check('items', 'item records', problems,
    `${records.length} item.json files agree with the manifest and the export event`);
}

async function sidecarCheck(f) {
  if (!f.sidecar) return [];
  let stated = '';
  try {
    const bytes = new Uint8Array(await f.sidecar.arrayBuffer());
    if (bytes.every((b) => b < 0x80)) stated = pySplit(new TextDecoder('latin1').decode(bytes))[0] || '';
  } catch (e) {
    stated = '';
  }
  const whole = f.digest(WHOLE);
  const good = whole !== null && stated === whole;
  return [one('zip-sha256', f.sidecar.name, good,
    good ? "the zip's SHA-256 matches the file beside it" : "the zip's SHA-256 differs from the one in the .sha256 file")];
}

// What the page cannot check itself, said plainly rather than passed.
async function notCheckedHere(f) {
  const notes = [];
  if (!f.source.isZip) {
    notes.push('symbolic links and special files in a folder: a browser does not show them to ' +
      'this page (it leaves them out) — check the .zip file instead, where everything is checked');
  }
  for (const name of [...f.source.names.keys()].sort(codePointCompare)) {
    if (name.endsWith('.tsr')) notes.push(`${name}: a time-stamp token (RFC 3161)`);
  }
  for (const name of [...f.source.names.keys()].filter((n) => n.endsWith(`/${ITEM_JSON}`))) {
    const raw = await f.member(name);
    let record = null;
    try { record = raw === null ? null : loadsBytes(raw); } catch (e) { record = null; }
    const derived = pyMapping(pyGet(pyMapping(record), 'derived'));
    if (pyEq(pyGet(derived, 'operation'), 'redaction')) {
      notes.push(`${name.slice(4, -ITEM_JSON.length)}: the proof that this redacted copy was made from its original`);
    }
  }
  return notes;
}

// The whole report, as verify_bundle makes it.
async function verifySource(source, sidecar, expectKey, onProgress) {
  const f = await gatherFacts(source, sidecar, expectKey, onProgress);
  const checks = [
    containerCheck(f), layoutCheck(f), await bagitCheck(f), bagInfoCheck(f), ...manifestChecks(f),
    completenessCheck(f), oxumCheck(f), ...payloadChecks(f), ...tagManifestChecks(f),
    ...sealedBesideChecks(f), await sealKeyCheck(f),
    ...await signatureChecks(f, 'seal', f.key.fromSsh, f.tagmanifests.sha256, f.key.fromPem),
    ...await expectedKeyCheck(f), await chainCheck(f), await genesisCheck(f), await exportCheck(f),
    await itemsCheck(f), ...await receivedCheck(f), ...await sidecarCheck(f),
  ];
  const raw = signer(f);
  return {
    bundle: source.label,
    bundleId: source.top || null,
    checks,
    ok: checks.length > 0 && checks.every((c) => c.passed),
    fingerprint: raw ? await fingerprint(raw) : null,
    readAloud: raw ? await readAloud(raw) : null,
    notCheckedHere: await notCheckedHere(f),
    ed25519: (await ed25519Engine()).name,
    facts: f,
  };
}
