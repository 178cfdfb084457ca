"""Pagefind's service (`pagefind --service`): pages given to it through a pipe, not as files.

Pagefind's command line indexes a folder of HTML files, so the search index's input used to
be written as one scratch file per page, read back and removed: 5,067 files at 1,000
recommendations, 49,833 at 10,000, on a disk where creating a file took the better part of a
millisecond. Its service takes the same pages as messages and writes the same kind of index.

Written by hand rather than with the `pagefind` package's `PagefindIndex`: that client is
asyncio-only and reads one reply every 0.1 s (`PagefindService._wait_for_responses` sleeps
before each read), so 10,000 pages would take over 16 minutes of waiting. The protocol is
small: each message is JSON, base64-encoded, followed by a comma, one way and the other.

The index is asked for as data (`GetFiles`) and written here, not by the service's own
`WriteFiles`: the service writes through Tokio, which hands each file's bytes to a
background thread after replying, and it exits the moment its input ends, so a file could
be left empty (seen: `pagefind-entry.json`, once in ten builds).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Callable, Iterable


class ServiceError(RuntimeError):
    pass


class Service:
    """One Pagefind service process making one index: `add` pages, then `write` it.

    Replies are read by a thread as they come (the pipe would otherwise fill and stop both
    sides); a page Pagefind refused, or the service ending early, is a `ServiceError`
    carrying Pagefind's own message."""

    def __init__(self, executable: str, config: dict, *, env: dict | None = None, nice: int = 0):
        self._errors_file = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [executable, "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors_file, env=env,
        )
        if nice and hasattr(os, "setpriority"):
            # Set from here, not by a `preexec_fn` in the child: Popen with one turns the
            # garbage collector off and on again around the fork, which, from this thread,
            # could leave it off for the preview's refresh running meanwhile.
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, self.process.pid, min(19, os.getpriority(os.PRIO_PROCESS, 0) + nice))
        self._sent = 0
        self._refused: list[str] = []
        self._replies: dict[int, dict] = {}
        self._waiting: dict[int, threading.Event] = {}
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, name="pagefind-replies", daemon=True)
        self._reader.start()
        self._index_id = self._ask({"type": "NewIndex", "config": config})["index_id"]

    def add(self, pages: Iterable[tuple[str, str]]) -> int:
        """Give Pagefind each (URL from the site root, HTML) without waiting for its replies;
        how many were given."""
        count = 0
        for url, content in pages:
            self._send({"type": "AddFile", "index_id": self._index_id, "file_path": None, "url": url, "file_contents": content})
            count += 1
        return count

    def write(self, output: Path, *, leave_out: Callable[[str], bool] = lambda name: False) -> int:
        """Write the index into `output` once every page given is in it, but for the files
        `leave_out` names (by their path in the index); how many files were written."""
        files = self._ask({"type": "GetFiles", "index_id": self._index_id})["files"]
        if self._refused:
            raise ServiceError(f"Pagefind could not index a page: {self._refused[0]}")
        wanted = [file for file in files if not leave_out(file["path"])]
        del files
        for folder in sorted({(output / file["path"]).parent for file in wanted}):
            folder.mkdir(parents=True, exist_ok=True)
        # One after another: most are in one folder, whose new files the system creates one
        # at a time (8 threads wrote a part's 3,596 files no faster than one).
        for file in wanted:
            (output / file["path"]).write_bytes(base64.b64decode(file["content"]))
        return len(wanted)

    def kill(self) -> None:
        """Stop the service at once (its index is abandoned)."""
        if self.process.poll() is None:
            self.process.kill()

    def close(self) -> None:
        """End the service (it ends when its input does)."""
        try:
            if self.process.stdin and not self.process.stdin.closed:
                self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=10)
        self._errors_file.close()

    # The protocol ------------------------------------------------------------------------

    def _send(self, payload: dict, *, wait: threading.Event | None = None) -> int:
        self._sent += 1
        if wait is not None:
            with self._lock:
                self._waiting[self._sent] = wait
        message = base64.b64encode(json.dumps({"message_id": self._sent, "payload": payload}).encode("utf-8"))
        try:
            self.process.stdin.write(message + b",")
        except (BrokenPipeError, ValueError):  # the service has ended (or was stopped)
            raise ServiceError(self._ended()) from None
        return self._sent

    def _ask(self, payload: dict) -> dict:
        """Send `payload` and wait for its reply."""
        answered = threading.Event()
        sent = self._send(payload, wait=answered)
        try:
            self.process.stdin.flush()
        except BrokenPipeError:
            raise ServiceError(self._ended()) from None
        while not answered.wait(0.5):
            if not self._reader.is_alive():
                raise ServiceError(self._ended())
        reply = self._replies.pop(sent, None)
        if reply is None:  # the service ended before replying
            raise ServiceError(self._ended())
        if reply.get("type") == "Error":
            raise ServiceError(f"Pagefind: {reply.get('message')}")
        return reply

    def _read(self) -> None:
        # A message's pieces are joined once it is whole: the index comes as one message
        # of megabytes, which adding piece to piece would copy hundreds of times.
        pieces: list[bytes] = []
        stdout = self.process.stdout
        while chunk := stdout.read1(1 << 16):
            start = 0
            while (comma := chunk.find(b",", start)) != -1:
                pieces.append(chunk[start:comma])
                message = b"".join(pieces).strip()
                pieces, start = [], comma + 1
                if message:
                    message = base64.b64decode(message)  # each form let go of once the next is made
                    self._receive(json.loads(message))
                    del message
            if start < len(chunk):
                pieces.append(chunk[start:])
        with self._lock:  # the service has ended: no one waits for ever
            for event in self._waiting.values():
                event.set()

    def _receive(self, reply: dict | None) -> None:
        if not reply:
            return
        payload = reply.get("payload") or {}
        number = reply.get("message_id")
        with self._lock:
            answered = self._waiting.pop(number, None)
        if answered is not None:
            self._replies[number] = payload
            answered.set()
        elif payload.get("type") == "Error":  # a page refused: said when the index is written
            self._refused.append(str(payload.get("message")))

    def _ended(self) -> str:
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        self._errors_file.seek(0)
        said = self._errors_file.read().decode("utf-8", "replace").strip()
        return f"Pagefind's service ended (exit code {code}){': ' + said if said else ''}"
