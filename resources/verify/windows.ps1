$B = '@@BUNDLE@@'
$K = ''
& {
  $ok = $true
  function Sha256($f) { (Get-FileHash -Algorithm SHA256 -LiteralPath $f).Hash.ToLower() }
  $D = $B; if (Test-Path -LiteralPath "$B\$B\bag") { $D = "$B\$B" }
  if (-not (Test-Path -LiteralPath "$D\bag")) { Expand-Archive -LiteralPath "$B.zip" -DestinationPath . }
  $bag = (Resolve-Path -LiteralPath "$D\bag").Path
  $z = Sha256 "$B.zip"; "SHA-256 of $B.zip: $z"
  if ((Get-Content -LiteralPath "$B.zip.sha256" -Raw).Split(' ')[0] -eq $z) { "ok:     the zip matches $B.zip.sha256" } else { $ok = $false; "FAILED: the zip does not match $B.zip.sha256" }
  $bad = 0; $listed = @()
  foreach ($line in Get-Content -LiteralPath "$bag\manifest-sha256.txt") { $h, $p = $line -split '  ', 2; $listed += $p; $f = Join-Path $bag $p; if (-not (Test-Path -LiteralPath $f -PathType Leaf) -or (Sha256 $f) -ne $h) { $bad++ } }
  if ($bad -eq 0) { "ok:     every file matches manifest-sha256.txt" } else { $ok = $false; "FAILED: $bad file(s) do not match manifest-sha256.txt" }
  [string[]]$found = @(Get-ChildItem -LiteralPath "$bag\data" -Recurse -File -Force | ForEach-Object { $_.FullName.Substring($bag.Length + 1).Replace('\', '/') })
  [string[]]$named = $listed; [Array]::Sort($found, [StringComparer]::Ordinal); [Array]::Sort($named, [StringComparer]::Ordinal)
  if (($found -join '|') -ceq ($named -join '|')) { "ok:     no file is missing or added" } else { $ok = $false; "FAILED: files are missing from the bag or were added to it" }
  $bad = 0
  foreach ($line in Get-Content -LiteralPath "$bag\tagmanifest-sha256.txt") { $h, $p = $line -split '  ', 2; $f = Join-Path $bag $p; if (-not (Test-Path -LiteralPath $f -PathType Leaf) -or (Sha256 $f) -ne $h) { $bad++ } }
  if ($bad -eq 0) { "ok:     bag-info.txt and the manifests match tagmanifest-sha256.txt" } else { $ok = $false; "FAILED: bag-info.txt or a manifest does not match tagmanifest-sha256.txt" }
  $info = Get-Content -LiteralPath "$bag\bag-info.txt"
  if ($info -ccontains "Evidence-Verify-Txt-Sha256: $(Sha256 "$D\VERIFY.txt")") { "ok:     VERIFY.txt is the one that was sealed" } else { $ok = $false; "FAILED: VERIFY.txt is not the one that was sealed" }
  if (Test-Path -LiteralPath "$D\evidence-kit-verify.html") { if ($info -ccontains "Evidence-Verify-Html-Sha256: $(Sha256 "$D\evidence-kit-verify.html")") { "ok:     evidence-kit-verify.html is the one that was sealed" } else { $ok = $false; "FAILED: evidence-kit-verify.html is not the one that was sealed" } }
  cmd /c "ssh-keygen -Y verify -f $D\seal\allowed_signers -I evidence-seal -n evidence-bundle-v1 -s $D\seal\tagmanifest-sha256.txt.sshsig < $D\bag\tagmanifest-sha256.txt > nul 2>&1"
  if ($LASTEXITCODE -eq 0) { "ok:     the signature over tagmanifest-sha256.txt is good" } else { $ok = $false; "FAILED: the signature over tagmanifest-sha256.txt is not good (or ssh-keygen is missing)" }
  $ts = Get-Command openssl -ErrorAction SilentlyContinue
  if (Test-Path -LiteralPath "$D\seal\tagmanifest-sha256.txt.tsr") { if ($ts) { openssl ts -verify -data "$D\bag\tagmanifest-sha256.txt" -in "$D\seal\tagmanifest-sha256.txt.tsr" -CAfile "$D\seal\tsa-chain.pem" *> $null; if ($LASTEXITCODE -eq 0) { "ok:     the time-stamp over tagmanifest-sha256.txt is good" } else { $ok = $false; "FAILED: the time-stamp over tagmanifest-sha256.txt is not good" } } else { "note:   openssl is not installed, so the time-stamps were not checked (optional on Windows)" } }
  $t = @(Get-ChildItem -Path "$bag\data\items\*\*.tsr" -File | Where-Object { Test-Path -LiteralPath "$($_.FullName).list" })
  if ($t.Count -gt 0 -and $ts) { $bad = 0; foreach ($T in $t) { openssl ts -verify -data "$($T.FullName).list" -in $T.FullName -CAfile "$D\seal\tsa-chain.pem" *> $null; if ($LASTEXITCODE -ne 0 -or -not ((Get-Content -LiteralPath "$($T.FullName).list") -cmatch ('^' + (Sha256 $T.FullName.Substring(0, $T.FullName.Length - 4)) + '  '))) { $bad++ } }; if ($bad -eq 0) { "ok:     every exhibit's time-stamp is good" } else { $ok = $false; "FAILED: $bad exhibit time-stamp(s) are not good" } }
  $kb = [Convert]::FromBase64String((Get-Content -LiteralPath "$D\seal\allowed_signers" -Raw).Split(' ')[2].Trim())
  $F = 'SHA256:' + [Convert]::ToBase64String([Security.Cryptography.SHA256]::Create().ComputeHash($kb)).TrimEnd('=')
  $x = [Security.Cryptography.SHA512]::Create().ComputeHash([byte[]]$kb[19..50])
  $R = (0..7 | ForEach-Object { $n = [uint64]0; foreach ($j in 0..4) { $n = $n * 256 + $x[5 * $_ + $j] }; '{0:D5}' -f ($n % 100000) }) -join ' '
  if ($info -ccontains "Evidence-Seal-Key-Fingerprint: $F") { "ok:     bag-info.txt names the key that signed" } else { $ok = $false; "FAILED: bag-info.txt names another key than the one that signed" }
  if ($K) { if ($K -ceq $F -or ($K -replace '[^0-9]', '') -eq ($R -replace '[^0-9]', '')) { "ok:     the key is the one the sender gave you" } else { $ok = $false; "FAILED: the key is NOT the one the sender gave you ($K)" } }
  "Sealed by the key $F"; "   read aloud: $R"
  if ($ok) { "RESULT: ALL CHECKS PASSED. Nothing in the bag changed since it was sealed by the key above; the sender must confirm that key to you by another channel." } else { "RESULT: A CHECK FAILED. Do not rely on this bundle." }
}
