"""Helpers for importer tests: write corpus lines to a file and run the command."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from masthead.demo.corpus import write_images


def article(number=1, **fields):
    """One valid corpus line as a dict; override any field."""
    data = {
        "id": f"t{number:05d}",
        "section": ["News", "Iraq"],
        "headline": f"Officials in Baghdad approved plan number {number}",
        "standfirst": "A short summary of the story.",
        "body": ["First paragraph.", "Second paragraph."],
        "byline": "Samira Qasem",
        "published": "2024-03-01T08:00:00+00:00",
        "updated": "2024-03-01T09:30:00+00:00",
        "tags": ["Baghdad", "Central bank"],
        "image": None,
        "lang": "en",
    }
    data.update(fields)
    return data


class ImportRun:
    def __init__(self, stdout, stderr, error):
        self.stdout, self.stderr, self.error = stdout, stderr, error

    @property
    def counts(self):
        """{'created': n, 'updated': n, 'unchanged': n, 'skipped': n} from the summary line."""
        summary = next(line for line in self.stdout.splitlines() if "created," in line)
        parts = [part.strip().rstrip(".") for part in summary.split(",")]
        return {word: int(number) for number, word in (part.split(" ") for part in parts)}


@pytest.fixture
def corpus_file(tmp_path):
    counter = iter(range(1, 1000))

    def factory(lines):
        """lines: dicts (written as JSON) or raw strings/bytes (written as they are)."""
        path = tmp_path / f"corpus-{next(counter)}.jsonl"
        with path.open("wb") as handle:
            for line in lines:
                if isinstance(line, dict):
                    line = json.dumps(line, ensure_ascii=False)
                if isinstance(line, str):
                    line = line.encode("utf-8")
                handle.write(line + b"\n")
        return path

    return factory


@pytest.fixture
def run_import(home):
    def runner(path, images=None, fails=None, **options):
        """Run the command; it must succeed, or with `fails` (part of the message) it must
        end in a CommandError saying so. Either way the test states which it expects, so
        one cannot pass on an import that failed."""
        stdout, stderr = io.StringIO(), io.StringIO()
        if images is not None:
            options["images"] = str(images)
        error = None
        try:
            call_command(
                "import_jsonl", str(path), no_progress=True, stdout=stdout, stderr=stderr, **options
            )
        except CommandError as raised:
            error = raised
        run = ImportRun(stdout.getvalue(), stderr.getvalue(), error)
        if fails is None:
            assert error is None, f"the import failed: {error}\n{run.stderr}"
        else:
            assert error is not None, f"the import succeeded; expected {fails!r}\n{run.stdout}"
            assert fails in str(error)
        return run

    return runner


@pytest.fixture
def images_dir(tmp_path):
    folder = tmp_path / "images"
    write_images(folder, 3, seed=7)
    return folder
