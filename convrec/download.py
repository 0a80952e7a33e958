"""Downloads into ``CONVREC_HOME/downloads``: MovieLens ml-latest-small from GroupLens.

Used only when MovieLens is asked for without a data directory. The zip is fetched to a
temporary file, checked, unpacked into a temporary folder and renamed into place, so a
failed or interrupted download never leaves a half-written ``ml-latest-small/``.

    from convrec.download import movielens_small
    folder = movielens_small()   # reuses the cached copy when present

``CONVREC_MOVIELENS_URL`` overrides the source (the tests serve a small zip locally).
"""
from __future__ import annotations

import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from convrec import config

MOVIELENS_URL = "https://files.grouplens.org/datasets/movielens/ml-latest-small.zip"  # official source
FOLDER = "ml-latest-small"  # name of the unpacked folder, as in the official zip
CHUNK = 1 << 16  # bytes read per step while downloading


class DownloadError(RuntimeError):
    """A download that failed; the message says what to do instead."""


def movielens_url() -> str:
    return os.environ.get("CONVREC_MOVIELENS_URL") or MOVIELENS_URL


def _fetch(url: str, dest: Path, timeout: float, progress: bool) -> None:
    from tqdm import tqdm

    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp, dest.open("wb") as out:
            total = int(resp.headers.get("Content-Length") or 0) or None
            with tqdm(total=total, unit="B", unit_scale=True, desc="MovieLens", disable=not progress) as bar:
                while chunk := resp.read(CHUNK):
                    out.write(chunk)
                    bar.update(len(chunk))
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise DownloadError(
            f"could not download MovieLens from {url} ({getattr(e, 'reason', e)}). Offline? Pass --data-dir DIR "
            f"holding movielens/{FOLDER}/, or set CONVREC_MOVIELENS_URL to a reachable copy.") from None


def _unpack(zip_path: Path, into: Path, url: str) -> Path:
    """Extract safely; return the folder that holds ``movies.csv``."""
    try:
        with zipfile.ZipFile(zip_path) as zf:
            for name in zf.namelist():  # refuse absolute paths and ``..`` (zip-slip)
                if name.startswith("/") or ".." in Path(name).parts:
                    raise DownloadError(f"{url}: unsafe path {name!r} in the zip")
            zf.extractall(into)
    except zipfile.BadZipFile:
        raise DownloadError(f"{url}: the download is not a valid zip file") from None
    found = sorted(into.rglob("movies.csv"), key=lambda p: len(p.parts))
    if not found:
        raise DownloadError(f"{url}: the zip has no movies.csv")
    return found[0].parent


def movielens_small(timeout: float = 60.0, progress: bool = True) -> Path:
    """Folder of ml-latest-small: the cached copy, else downloaded and unpacked atomically."""
    downloads = config.sub("downloads")
    target = downloads / FOLDER
    if (target / "movies.csv").exists():
        return target
    url = movielens_url()
    with tempfile.TemporaryDirectory(dir=downloads, prefix=".ml-") as tmp:
        zip_path = Path(tmp) / "ml.zip"
        _fetch(url, zip_path, timeout, progress)
        folder = _unpack(zip_path, Path(tmp) / "unpacked", url)
        if target.exists():  # a broken leftover (no movies.csv): replace it
            shutil.rmtree(target)
        os.replace(folder, target)  # same filesystem: an atomic rename
    return target
