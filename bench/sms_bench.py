"""Import a generated 300 MB SMS Backup & Restore file; print time and peak RSS (child process).

    .venv/bin/python bench/sms_bench.py

About 520,000 fictional SMS (emoji written as surrogate pairs, as the app does) and one MMS with
a 200 KB picture per 1,000 SMS. Checks the streaming claim: memory stays bounded.
"""

import base64
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

work = Path(tempfile.mkdtemp())
path = work / "sms-big.xml"
rng = random.Random(3)
pic = base64.b64encode(rng.randbytes(200_000)).decode()
with open(path, "w") as out:
    out.write('<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>\n<smses count="0">\n')
    n = 0
    while out.tell() < 300_000_000:
        for _ in range(1000):
            n += 1
            out.write(
                f'  <sms protocol="0" address="+4477009{n % 10000:05d}" date="{1709590325000 + n * 1000}" type="{1 + n % 2}" subject="null" body="message {n} about the meeting &#55357;&#56834;&#10;second line" toa="null" sc_toa="null" service_center="null" read="1" status="-1" locked="0" date_sent="0" sub_id="1" readable_date="x" contact_name="(Unknown)" />\n'
            )
        n += 1
        out.write(
            f'  <mms date="{1709590325000 + n * 1000}" msg_box="1" address="+447700900123"><parts><part seq="0" ct="image/jpeg" cl="p{n}.jpg" data="{pic}" /><part seq="0" ct="text/plain" text="pic {n}" /></parts><addrs><addr address="+447700900123" type="137" /></addrs></mms>\n'
        )
    out.write("</smses>\n")
print("size", path.stat().st_size, "messages", n)
code = """
import sys
from pathlib import Path
from evidence_kit.vault import TEST_KDF, Vault
from evidence_kit.importers.run import import_file
v = Vault.create(Path(sys.argv[2]), "bench passphrase", owner="B", kdf=TEST_KDF).vault
r = import_file(v, Path(sys.argv[1]))
print(r.message_count, r.attachment_count, [str(w) for w in r.warnings][:3])
"""
t = time.time()
child = subprocess.Popen(
    [sys.executable, "-c", code, str(path), str(work / "v")], stdout=subprocess.PIPE, text=True
)
_, status, usage = os.wait4(child.pid, 0)
print(
    (child.stdout.read().strip() if child.stdout else ""),
    "status",
    status,
    "time",
    round(time.time() - t, 1),
    "s, peak RSS",
    usage.ru_maxrss // 1024,
    "MB",
)
shutil.rmtree(work)
