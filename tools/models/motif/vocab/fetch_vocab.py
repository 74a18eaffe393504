"""Regenerate vocab/vocab.txt byte for byte from the cn_clip wheel on PyPI.

Chinese-CLIP's own vocab (21128 entries, the vocab of Google's BERT-base-Chinese that Chinese-CLIP's
RoBERTa-wwm text towers use) ships in the cn_clip package as cn_clip/clip/vocab.txt.
Run: python -m tools.models.motif.vocab.fetch_vocab [--check]
"""
from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "cn_clip==1.6.0"
MEMBER = "cn_clip/clip/vocab.txt"
SHA256 = "45bbac6b341c319adc98a532532882e91a9cefc0329aa57bac9ae761c27b291c"
TARGET = Path(__file__).parent / "vocab.txt"


def fetch() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, PACKAGE], check=True)
        wheel = next(Path(tmp).glob("cn_clip-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            return archive.read(MEMBER)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="only compare the committed file with the pinned hash")
    args = parser.parse_args()
    if not args.check:
        data = fetch()
        if hashlib.sha256(data).hexdigest() != SHA256:
            print(f"{PACKAGE} {MEMBER} does not have the pinned sha256 {SHA256}", file=sys.stderr)
            return 1
        TARGET.write_bytes(data)
    digest = hashlib.sha256(TARGET.read_bytes()).hexdigest()
    print(f"{TARGET}: sha256 {digest} {'ok' if digest == SHA256 else 'MISMATCH'}")
    return 0 if digest == SHA256 else 1


if __name__ == "__main__":
    raise SystemExit(main())
