// The page: a bundle dropped or chosen, every check listed in plain words, the key that sealed
// it in both forms, and a field for the fingerprint the sender gave by another channel.

const $ = (id) => document.getElementById(id);
const state = { facts: null, report: null };

function summary(report) {
  const failed = report.checks.filter((c) => !c.passed);
  if (failed.length) {
    return `${failed.length} of ${report.checks.length} checks FAILED (${failed.map((c) => c.name).join(', ')}). ` +
      'Do not rely on this bundle; keep it as you received it and ask the sender for a new copy.';
  }
  if (report.expectedKey) {
    return `All ${report.checks.length} checks passed: the bundle is intact and was sealed by the key you expected.`;
  }
  return `All ${report.checks.length} checks passed: the bundle is intact and was sealed by the key shown ` +
    `(${report.fingerprint}; read aloud: ${report.readAloud}). The sender must confirm that key to you by ` +
    'another channel (phone, in person).';
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const child of children) node.append(child);
  return node;
}

// The read-aloud digits, each group kept on one line.
function digitGroups(text) {
  const code = el('code', { id: 'read-aloud', class: 'digits' });
  text.split(' ').forEach((group, i) => {
    if (i) code.append(' ');
    code.append(el('span', { class: 'group' }, group));
  });
  return code;
}

function render(report) {
  const out = $('result');
  out.replaceChildren();
  out.hidden = false;
  const verdict = el('p', { id: 'verdict', class: report.ok ? 'good' : 'bad', role: 'status' }, summary(report));
  out.append(verdict);
  if (report.fingerprint) {
    out.append(el('h2', {}, 'The key that sealed it'),
      el('p', { class: 'key' }, el('span', { class: 'label' }, 'Fingerprint: '), el('code', { id: 'fingerprint' }, report.fingerprint)),
      el('p', { class: 'key' }, el('span', { class: 'label' }, 'Read aloud: '), digitGroups(report.readAloud)),
      el('p', {}, 'Anyone can seal a bundle with a key of their own. Ask the sender to read you their key ' +
        '(by phone or in person, not by replying to the message the bundle came with) and type it above: ' +
        'the check "seal key is the expected one" then compares it.'));
  }
  out.append(el('h2', {}, `Every check (${report.checks.filter((c) => c.passed).length} of ${report.checks.length} passed)`));
  const list = el('ul', { id: 'checks' });
  for (const c of report.checks) {
    list.append(el('li', { class: c.passed ? 'pass' : 'fail', 'data-id': c.id },
      el('span', { class: 'mark', 'aria-hidden': 'true' }, c.passed ? '✓' : '✗'),
      el('strong', {}, `${c.name}: `), c.passed ? 'passed — ' : 'FAILED — ', c.detail));
  }
  out.append(list);
  out.append(el('h2', {}, 'Not checked here — use evidence-kit verify'));
  const notes = el('ul', { id: 'not-checked' });
  const always = [
    'time-stamp tokens (RFC 3161, *.tsr files), where a bundle has them',
    'the proofs that redacted copies were made from their originals',
  ];
  for (const n of [...report.notCheckedHere, ...(report.notCheckedHere.length ? [] : always)]) notes.append(el('li', {}, n));
  out.append(notes);
  out.append(el('p', { id: 'engine' }, `Signatures checked with ${report.ed25519}. Files hashed with the browser's ` +
    `own Web Crypto (SHA-256 and SHA-512), pieces over ${ONE_SHOT >> 20} MiB with hash-wasm ${HASH_WASM_VERSION} ` +
    '(inlined in this page). Nothing was sent anywhere: this page has no network access.'));
  document.body.dataset.state = 'done';
  document.body.dataset.ok = String(report.ok);
}

async function withExpectedKey(report) {
  const given = $('expected').value.trim();
  const rest = report.checks.filter((c) => c.id !== 'expected-key');
  state.facts.expectKey = given || null;
  const extra = await expectedKeyCheck(state.facts);
  const at = rest.findIndex((c) => c.id === 'custody-chain');
  const checks = [...rest.slice(0, at), ...extra, ...rest.slice(at)];
  return { ...report, checks, expectedKey: given || null, ok: checks.length > 0 && checks.every((c) => c.passed) };
}

function publicReport(report) {
  const { facts, ...rest } = report;
  return { ...rest, summary: summary(report) };
}

// files: [[path, File]]. A .zip (with its .sha256 when given) or a folder's files.
async function verifyFiles(files, expectKey = null) {
  document.body.dataset.state = 'working';
  $('expected').value = expectKey ?? $('expected').value;
  const zips = files.filter(([path]) => !path.includes('/') && path.toLowerCase().endsWith('.zip'));
  let source;
  let sidecar = null;
  const progress = (done, total) => {
    $('progress').hidden = false;
    $('progress').max = total || 1;
    $('progress').value = done;
  };
  const started = performance.now();
  try {
    if (zips.length === 1) {
      const [[name, zip]] = zips;
      const side = files.find(([path]) => path === `${name}.sha256`);
      sidecar = side ? side[1] : null;
      try {
        source = await ZipBundle.open(zip);
      } catch (e) {
        if (!(e instanceof UnsafeZip)) throw e;
        const report = {
          bundle: name, bundleId: null, checks: [one('container', 'zip safety', false, `${name}: ${e.message}`)],
          ok: false, fingerprint: null, readAloud: null, notCheckedHere: [], ed25519: (await ed25519Engine()).name,
        };
        state.report = report;
        state.facts = null;
        render(report);
        return publicReport(report);
      }
    } else if (zips.length > 1) {
      throw new Error('Drop one bundle at a time: one .zip file (with its .sha256 file if you have it).');
    } else if (files.some(([path]) => path.includes('/'))) {
      source = FolderBundle.open(files.filter(([path]) => path.includes('/')));
    } else {
      throw new Error('This is not a bundle. Drop the EVB-….zip file (and its .sha256 file), or the folder it unzips to.');
    }
    const base = await verifySource(source, sidecar, null, progress);
    state.facts = base.facts;
    const report = await withExpectedKey(base);
    report.seconds = (performance.now() - started) / 1000;
    state.report = report;
    render(report);
    return publicReport(report);
  } catch (e) {
    $('result').hidden = false;
    $('result').replaceChildren(el('p', { id: 'verdict', class: 'bad', role: 'alert' }, e.message || String(e)));
    document.body.dataset.state = 'error';
    return { error: e.message || String(e) };
  } finally {
    $('progress').hidden = true;
  }
}

async function entriesOf(entry, prefix = '') {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    return [[prefix + entry.name, file]];
  }
  const reader = entry.createReader();
  const out = [];
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) break;
    for (const child of batch) out.push(...await entriesOf(child, `${prefix}${entry.name}/`));
  }
  return out;
}

async function dropped(dataTransfer) {
  const items = [...(dataTransfer.items || [])].map((item) => item.webkitGetAsEntry && item.webkitGetAsEntry());
  if (items.length && items.every(Boolean)) {
    const files = [];
    for (const entry of items) files.push(...await entriesOf(entry));
    return files;
  }
  return [...dataTransfer.files].map((file) => [file.name, file]);
}

function start() {
  const zone = $('drop');
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', async (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    await verifyFiles(await dropped(e.dataTransfer));
  });
  $('pick-zip').addEventListener('change', (e) => verifyFiles([...e.target.files].map((f) => [f.name, f])));
  $('pick-folder').addEventListener('change', (e) => verifyFiles([...e.target.files].map((f) => [f.webkitRelativePath || f.name, f])));
  $('expected').addEventListener('input', async () => {
    if (!state.facts) return;
    state.report = await withExpectedKey(state.report);
    render(state.report);
  });
  document.body.dataset.state = 'ready';
  ed25519Engine().then((engine) => { $('engine-now').textContent = engine.name; });
}

window.EvidenceVerify = {
  verifyFiles,
  lastReport: () => (state.report ? publicReport(state.report) : null),
  canonical: (text) => pyCanonical(pyJsonLoads(text)),
  engine: async () => (await ed25519Engine()).name,
};
document.addEventListener('DOMContentLoaded', start);
