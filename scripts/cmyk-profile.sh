#!/usr/bin/env bash
# Rebuilds icc/FOGRA39L-300.icc, the CMYK output profile of `print: photos: cmyk`, from
# the FOGRA39L characterisation data in Debian's icc-profiles-free package (Zlib) with
# ArgyllCMS's colprof (Debian package argyll). Installs both when missing.
#
#   bash scripts/cmyk-profile.sh
#
# colprof options: medium quality tables; ramp black generation (Argyll's default GCR);
# total ink limited to 300 %; perceptual and saturation tables gamut-mapped from sRGB
# (the colour space jianbao reads photos in), for a monitor source viewed as a print.
# The measurement data is not embedded (-nc). The profile's header holds its creation
# time, so a rebuilt profile differs from the committed one in those bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
for pkg in icc-profiles-free argyll; do
  if ! dpkg -s "$pkg" >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg"
  fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp /usr/share/color/icc/FOGRA39L.ti3 "$work/FOGRA39L.ti3"
colprof -qm -kr -l300 -nc -S /usr/share/color/icc/sRGB.icc -cmt -dpp \
  -D "jianbao FOGRA39L coated, 300% ink" \
  -C "Zlib; measurement data FOGRA39L (Fogra) from Debian icc-profiles-free" \
  "$work/FOGRA39L" >/dev/null
cp "$work/FOGRA39L.icc" icc/FOGRA39L-300.icc
ls -l icc/FOGRA39L-300.icc
