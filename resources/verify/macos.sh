B='@@BUNDLE@@'
K=''
(
  ok=1
  bad() { ok=0; printf 'FAILED: %s\n' "$*"; }
  good() { printf 'ok:     %s\n' "$*"; }
  D="$B"; if [ -d "$B/$B/bag" ]; then D="$B/$B"; fi
  if [ ! -d "$D/bag" ]; then unzip -q "$B.zip" || bad "$B.zip could not be unzipped"; fi
  printf 'SHA-256 of %s: %s\n' "$B.zip" "$(shasum -a 256 "$B.zip" | cut -d' ' -f1)"
  if shasum -a 256 -c -s "$B.zip.sha256"; then good "the zip matches $B.zip.sha256"; else bad "the zip does not match $B.zip.sha256"; fi
  if (cd "$D/bag" && shasum -a 256 -c --strict -q manifest-sha256.txt); then good "every file matches manifest-sha256.txt"; else bad "some files do not match manifest-sha256.txt"; fi
  if (cd "$D/bag" && find data -type f | LC_ALL=C sort | cmp -s - <(cut -c67- manifest-sha256.txt)); then good "no file is missing or added"; else bad "files are missing from the bag or were added to it"; fi
  if (cd "$D/bag" && shasum -a 256 -c --strict -q tagmanifest-sha256.txt); then good "bag-info.txt and the manifests match tagmanifest-sha256.txt"; else bad "bag-info.txt or a manifest does not match tagmanifest-sha256.txt"; fi
  if grep -qx "Evidence-Verify-Txt-Sha256: $(shasum -a 256 < "$D/VERIFY.txt" | cut -d' ' -f1)" "$D/bag/bag-info.txt"; then good "VERIFY.txt is the one that was sealed"; else bad "VERIFY.txt is not the one that was sealed"; fi
  if [ -f "$D/evidence-kit-verify.html" ]; then
    if grep -qx "Evidence-Verify-Html-Sha256: $(shasum -a 256 < "$D/evidence-kit-verify.html" | cut -d' ' -f1)" "$D/bag/bag-info.txt"; then good "evidence-kit-verify.html is the one that was sealed"; else bad "evidence-kit-verify.html is not the one that was sealed"; fi
  fi
  if ssh-keygen -Y verify -f "$D/seal/allowed_signers" -I evidence-seal -n evidence-bundle-v1 -s "$D/seal/tagmanifest-sha256.txt.sshsig" < "$D/bag/tagmanifest-sha256.txt" > /dev/null 2>&1; then good "the signature over tagmanifest-sha256.txt is good"; else bad "the signature over tagmanifest-sha256.txt is not good"; fi
  if [ -f "$D/seal/tagmanifest-sha256.txt.tsr" ]; then
    if openssl ts -verify -data "$D/bag/tagmanifest-sha256.txt" -in "$D/seal/tagmanifest-sha256.txt.tsr" -CAfile "$D/seal/tsa-chain.pem" > /dev/null 2>&1; then good "the time-stamp over tagmanifest-sha256.txt is good"; else bad "the time-stamp over tagmanifest-sha256.txt is not good"; fi
    openssl ts -reply -in "$D/seal/tagmanifest-sha256.txt.tsr" -text 2>/dev/null | grep -E '^(Time stamp|TSA):' | sed 's/^/        seal /'
  fi
  n=0; t=0; for T in "$D"/bag/data/items/*/*.tsr; do [ -f "$T.list" ] || continue; t=$((t + 1)); if openssl ts -verify -data "$T.list" -in "$T" -CAfile "$D/seal/tsa-chain.pem" > /dev/null 2>&1 && grep -q "^$(shasum -a 256 < "${T%.tsr}" | cut -d' ' -f1)  " "$T.list"; then :; else n=$((n + 1)); fi; done
  if [ "$t" -gt 0 ]; then if [ "$n" = 0 ]; then good "every exhibit's time-stamp is good"; else bad "$n exhibit time-stamp(s) are not good"; fi; fi
  F=$(ssh-keygen -lf "$D/seal/allowed_signers" | cut -d' ' -f2)
  x=$(cut -d' ' -f3 "$D/seal/allowed_signers" | openssl base64 -d -A | tail -c 32 | shasum -a 512 | cut -c1-80)
  R=''; for i in 0 1 2 3 4 5 6 7; do R="$R $(printf '%05d' $(( 16#${x:$((i * 10)):10} % 100000 )))"; done; R="${R# }"
  if grep -qx "Evidence-Seal-Key-Fingerprint: $F" "$D/bag/bag-info.txt"; then good "bag-info.txt names the key that signed"; else bad "bag-info.txt names another key than the one that signed"; fi
  if [ -n "$K" ]; then
    if [ "$K" = "$F" ] || [ "$(printf '%s' "$K" | tr -cd 0-9)" = "$(printf '%s' "$R" | tr -cd 0-9)" ]; then good "the key is the one the sender gave you"; else bad "the key is NOT the one the sender gave you ($K)"; fi
  fi
  printf 'Sealed by the key %s\n   read aloud: %s\n' "$F" "$R"
  if [ "$ok" = 1 ]; then echo "RESULT: ALL CHECKS PASSED. Nothing in the bag changed since it was sealed by the key above; the sender must confirm that key to you by another channel."; else echo "RESULT: A CHECK FAILED. Do not rely on this bundle."; fi
  [ "$ok" = 1 ]
)
