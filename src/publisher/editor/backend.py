"""The editor's backend: Decap CMS's local-folder protocol, answered by the preview server.

Decap CMS reads and writes a working copy through a small server (`decap-server`, Node.js,
its `local_fs` middleware): every call is `POST /api/v1` with `{action, params}`. This is
that protocol in Python, copied action by action from decap-server 3.11.3, so that
`publisher serve` is the only thing an author runs. It differs where the project needs it:

- only the project's `content/` folder can be read or written: any other path, or one
  that leads out through `..` or a link, is refused (decap-server confines to the project);
- a file is written in the project's layout (`layout.py`), atomically;
- images are refused: the site's Markdown has none (`markup.py`).

New addresses are registered as `publisher new update` leaves them: by the next public
build (`publisher build` adds them to permalinks.txt), so saving here changes no other file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ..update_files import write_atomically
from . import layout


class Refused(Exception):
    """A request the backend will not carry out; the message is shown to the author."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class LocalBackend:
    """The protocol over one project's `content/` folder (paths are relative to the project,
    as Decap gives them: `content/updates/<id>.md`)."""

    def __init__(self, project: Path):
        self.project = Path(project).resolve()
        self.content = self.project / "content"

    # Paths -------------------------------------------------------------------------------

    def resolve(self, path: Any) -> Path:
        """The file `path` names, if it is inside content/ (links followed); else Refused."""
        if not isinstance(path, str) or not path or "\0" in path or Path(path).is_absolute():
            raise Refused(f"not a path in the content folder: {path!r}")
        resolved = (self.project / path).resolve()  # follows links, so a link out is seen
        root = self.content.resolve()
        if resolved != root and root not in resolved.parents:
            raise Refused(f"{path} is outside the content folder; the editor only changes content/")
        if any(part.startswith(".") for part in resolved.relative_to(root).parts):
            raise Refused(f"{path} is a hidden file; the editor does not change those")
        return resolved

    def relative(self, path: Path) -> str:
        return path.relative_to(self.project).as_posix()

    def _is_sources_list(self, path: Path) -> bool:
        root = self.content.resolve()
        return path.suffix in (".yml", ".yaml") and (path.parent == root / "sources" or path == root / "sources.yml")

    def _is_update(self, path: Path) -> bool:
        return path.suffix == ".md" and path.parent == self.content.resolve() / "updates"

    # Reading -----------------------------------------------------------------------------

    def _entry(self, path: str, label: str | None = None) -> dict[str, Any]:
        """One file as Decap wants it: its text and an id (the hash of that text); a file
        that does not exist has neither (decap-server answers the same)."""
        try:
            resolved = self.resolve(path)
            text = resolved.read_text(encoding="utf-8")
        except (Refused, OSError, UnicodeDecodeError):
            return {"data": None, "file": {"path": path, "label": label, "id": None}}
        if self._is_sources_list(resolved):
            text = layout.sources_for_editor(text)
        elif self._is_update(resolved):
            text = layout.update_for_editor(text)
        return {"data": text, "file": {"path": path, "label": label, "id": _sha256(text.encode("utf-8"))}}

    def _listed(self, folder: str, extension: str, depth: int) -> list[str]:
        root = self.resolve(folder)
        found: list[str] = []

        def walk(directory: Path, left: int) -> None:
            if left <= 0 or not directory.is_dir():
                return
            for child in sorted(directory.iterdir()):
                if child.name.startswith("."):
                    continue  # an editor's or a writer's temporary file
                if child.is_dir():
                    walk(child, left - 1)
                elif child.name.endswith(extension):
                    found.append(self.relative(child))

        walk(root, int(depth))
        return found

    # The actions -------------------------------------------------------------------------

    def handle(self, action: Any, params: Any) -> Any:
        """Answer one call; Refused for a request that cannot be carried out, LookupError
        for an action the protocol does not have."""
        params = params if isinstance(params, dict) else {}
        handler = getattr(self, f"_do_{action}", None) if isinstance(action, str) and action.isidentifier() else None
        if handler is None:
            raise LookupError(f"Unknown action {action}")
        return handler(params)

    def _do_info(self, params: dict) -> dict:
        return {"repo": self.project.name, "publish_modes": ["simple"], "type": "local_fs"}

    def _do_entriesByFolder(self, params: dict) -> list:
        paths = self._listed(params.get("folder"), str(params.get("extension") or ""), params.get("depth") or 1)
        return [self._entry(path) for path in paths]

    def _do_entriesByFiles(self, params: dict) -> list:
        return [self._entry(f.get("path"), f.get("label")) for f in params.get("files") or [] if isinstance(f, dict)]

    def _do_getEntry(self, params: dict) -> dict:
        return self._entry(params.get("path"))

    def _do_persistEntry(self, params: dict) -> dict:
        entry = params.get("entry")
        data_files = params.get("dataFiles") or ([entry] if entry else [])
        if params.get("assets"):
            raise Refused("images and other files cannot be added: the site's text has no images")
        if any(isinstance(f, dict) and f.get("newPath") for f in data_files):
            raise Refused("a file cannot be renamed here: its address is permanent")
        writes: dict[Path, str] = {}
        for data_file in data_files:
            if not isinstance(data_file, dict) or not isinstance(data_file.get("raw"), str):
                raise Refused("a file to save came without its text")
            path = self.resolve(data_file.get("path"))
            writes[path] = self._laid_out(path, data_file["raw"])
        for path in writes:
            path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(writes)
        return {"message": "entry persisted"}

    def _laid_out(self, path: Path, raw: str) -> str:
        if self._is_update(path):
            return layout.update_file(raw)
        if self._is_sources_list(path):
            original = path.read_text(encoding="utf-8") if path.is_file() else None
            return layout.sources_file(raw, original)
        return raw

    def _do_getMedia(self, params: dict) -> list:
        return []  # the content has no images

    def _do_getMediaFile(self, params: dict) -> dict:
        raise Refused("the content has no images")

    def _do_persistMedia(self, params: dict) -> dict:
        raise Refused("images cannot be added: the site's text has no images")

    def _do_deleteFile(self, params: dict) -> dict:
        path = self.resolve(params.get("path"))
        path.unlink(missing_ok=True)
        return {"message": f"deleted file {params.get('path')}"}

    def _do_deleteFiles(self, params: dict) -> dict:
        paths = [self.resolve(p) for p in params.get("paths") or []]  # all checked before any goes
        for path in paths:
            path.unlink(missing_ok=True)
        return {"message": f"deleted files {', '.join(map(str, params.get('paths') or []))}"}

    def _do_getDeployPreview(self, params: dict) -> None:
        return None


def existing_update_ids(project: Path) -> set[str]:
    """The ids (file names) every update file in the project takes."""
    folder = Path(project) / "content" / "updates"
    return {p.stem for p in folder.glob("*.md")} if folder.is_dir() else set()

