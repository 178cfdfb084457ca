"""The manifest lists every file of a site with its SHA-256, as `sha256sum -c` reads it."""

from __future__ import annotations

import hashlib
from publisher import manifest


def _site(tmp_path):
    files = {
        "index.html": b"<p>home</p>",
        ".nojekyll": b"",
        "updates/index.html": b"<p>updates</p>",
        "updates/page-2/index.html": b"<p>older</p>",
        "data/recommendations.csv": "id,title\nr1,Caf\u00e9\n".encode(),
        "a b/space in name.txt": b"x" * 5000,
    }
    for name, data in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def test_every_file_is_listed_once_sorted_by_its_path_with_its_digest(tmp_path):
    files = _site(tmp_path)
    # More files than one thread's batch, so the batches' order is checked too.
    for n in range(manifest._BATCH * 2 + 3):
        (tmp_path / "many" / f"{n:04}.txt").parent.mkdir(exist_ok=True)
        (tmp_path / "many" / f"{n:04}.txt").write_bytes(str(n).encode())
        files[f"many/{n:04}.txt"] = str(n).encode()
    lines = manifest.lines(tmp_path)
    assert lines == [f"{hashlib.sha256(files[name]).hexdigest()}  {name}" for name in sorted(files)]


def test_a_folder_left_out_is_not_listed_and_the_manifest_never_lists_itself(tmp_path):
    """`publisher build` lists the site while Pagefind makes its index, leaving out the
    folder the index will move into; the index's files are added afterwards (`add`)."""
    files = _site(tmp_path)
    (tmp_path / "pagefind" / "fragment").mkdir(parents=True)
    (tmp_path / "pagefind" / "fragment" / "a.pf_fragment").write_bytes(b"half written")
    (tmp_path / "pagefinder.html").write_bytes(b"not the index")
    files["pagefinder.html"] = b"not the index"
    written = manifest.write(tmp_path, leave_out="pagefind")
    assert [line.split("  ", 1)[1] for line in written.read_text().splitlines()] == sorted(files)
    manifest.add(tmp_path, ["pagefind/fragment/a.pf_fragment"])
    names = [line.split("  ", 1)[1] for line in written.read_text().splitlines()]
    assert names == sorted([*files, "pagefind/fragment/a.pf_fragment"])
