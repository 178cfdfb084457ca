"""The second process of `engine.FilesApart`: writes the files the build hands it.

Batches come through stdin, pickled by the build (the same Python, never anything else):
lists of (the file's address in the site, its place on disk, its bytes). Each is written as
MkDocs' `File.copy_file` writes generated content. A file that cannot be written is named
on stdout, and the process ends with 1 without reading further, so the build fails.
"""

from __future__ import annotations

import os
import pickle
import sys
from typing import BinaryIO


def write_all(stream: BinaryIO) -> str | None:
    """Write every batch from `stream` until it ends; what went wrong, if anything did."""
    while True:
        try:
            batch = pickle.load(stream)
        except EOFError:
            return None
        for address, place, content in batch:
            try:
                os.makedirs(os.path.dirname(place), exist_ok=True)
                with open(place, "wb") as output:
                    output.write(content)
            except OSError as error:
                return f"Could not write {address}: {error.strerror or error}"


if __name__ == "__main__":
    failed = write_all(sys.stdin.buffer)
    if failed:
        sys.stdout.write(failed + "\n")
    sys.exit(1 if failed else 0)
