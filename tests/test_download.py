"""MovieLens download against a local HTTP server serving a zip the test builds (no internet)."""
from __future__ import annotations

import functools
import http.server
import threading
import zipfile

import pytest

from convrec import download
from convrec.catalog_sources import load_movielens

MOVIES = "movieId,title,genres\n1,\"Toy Story (1995)\",Adventure|Animation\n2,\"Matrix, The (1999)\",Action|Sci-Fi\n"
RATINGS = "userId,movieId,rating,timestamp\n1,1,4.0,0\n2,1,5.0,0\n2,2,3.0,0\n"
LINKS = "movieId,imdbId,tmdbId\n1,0114709,862\n2,0133093,603\n"


@pytest.fixture
def server(tmp_path):
    """A local HTTP server over tmp_path/www; yields (base url, folder, request log)."""
    www = tmp_path / "www"
    www.mkdir()
    requests: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            requests.append(self.path)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(www)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", www, requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def build_zip(path, files: dict[str, str]):
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)


def test_download_unzip_and_load(server, monkeypatch, convrec_home):
    base, www, requests = server
    build_zip(www / "ml.zip", {"ml-latest-small/movies.csv": MOVIES, "ml-latest-small/ratings.csv": RATINGS,
                               "ml-latest-small/links.csv": LINKS})
    monkeypatch.setenv("CONVREC_MOVIELENS_URL", f"{base}/ml.zip")
    monkeypatch.delenv("CONVREC_DATA_DIR", raising=False)
    catalog = load_movielens(None)
    assert [i.label for i in catalog] == ["Toy Story (1995)", "The Matrix (1999)"]
    assert catalog["1"].popularity == 2 and catalog["2"].source_ids["imdb"] == "tt0133093"
    assert (convrec_home / "downloads" / "ml-latest-small" / "movies.csv").exists()
    assert not list((convrec_home / "downloads").glob(".ml-*"))  # temp files cleaned up
    assert len(requests) == 1
    load_movielens(None)
    assert len(requests) == 1  # the cached copy is reused


def test_offline_is_a_clear_error(server, monkeypatch, convrec_home):
    base, _, _ = server
    monkeypatch.setenv("CONVREC_MOVIELENS_URL", "http://127.0.0.1:9/ml.zip")  # discard port: refused
    with pytest.raises(download.DownloadError, match="could not download MovieLens .*--data-dir"):
        download.movielens_small(timeout=5, progress=False)
    monkeypatch.setenv("CONVREC_MOVIELENS_URL", f"{base}/missing.zip")  # 404
    with pytest.raises(download.DownloadError, match="missing.zip"):
        download.movielens_small(timeout=5, progress=False)
    assert not (convrec_home / "downloads" / "ml-latest-small").exists()


def test_bad_zip_leaves_nothing_behind(server, monkeypatch, convrec_home):
    base, www, _ = server
    (www / "junk.zip").write_bytes(b"this is not a zip")
    build_zip(www / "empty.zip", {"README.txt": "no movies here"})
    build_zip(www / "evil.zip", {"../escape/movies.csv": MOVIES})
    for name, message in (("junk", "not a valid zip"), ("empty", "no movies.csv"), ("evil", "unsafe path")):
        monkeypatch.setenv("CONVREC_MOVIELENS_URL", f"{base}/{name}.zip")
        with pytest.raises(download.DownloadError, match=message):
            download.movielens_small(timeout=5, progress=False)
    downloads = convrec_home / "downloads"
    assert not (downloads / "ml-latest-small").exists() and not list(downloads.glob(".ml-*"))
    assert not (downloads.parent / "escape").exists()
