"""Helpers shared by the bench scripts: a throw-away database and a loaded corpus.

    from bench.common import fresh_database, load_corpus

    fresh_database(tmp_dir)          # first: before anything imports Django models
    result = load_corpus(1000)       # generate 1,000 articles and import them
    print(result.rate, "articles/s")

A settings module is read once per process, so each fresh database needs its own process
(see bench/import_bench.py for running sizes one per subprocess).
"""

import io
import os
import time
from dataclasses import dataclass
from pathlib import Path


def fresh_database(var_dir, keep_database_url=False):
    """Point MASTHEAD_VAR_DIR at `var_dir` (SQLite database, media, secret key go there),
    set Django up and migrate. DATABASE_URL is dropped unless keep_database_url, so a
    bench never writes into a real database by accident."""
    var_dir = Path(var_dir)
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ["MASTHEAD_VAR_DIR"] = str(var_dir)
    if not keep_database_url:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.base")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    return var_dir


@dataclass
class LoadResult:
    count: int
    seconds: float  # wall clock, the whole import_jsonl command
    cpu_seconds: float  # this process's CPU time in that command
    output: str

    @property
    def rate(self):
        return self.count / self.seconds if self.seconds else 0.0


def load_corpus(count, images=False, seed=None):
    """Generate `count` synthetic articles (and a pool of lead images if `images`) under
    the var folder, then import them with import_jsonl. Only the import is timed."""
    from django.conf import settings
    from django.core.management import call_command

    from masthead.demo import corpus

    seed = corpus.DEFAULT_SEED if seed is None else seed
    folder = Path(settings.VAR_DIR) / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"corpus-{count}-{seed}.jsonl"
    options = {"no_progress": True}
    if images:
        corpus.write_images(folder / "images", corpus.DEFAULT_IMAGE_POOL, seed)
        options["images"] = str(folder / "images")
    with path.open("w", encoding="utf-8") as handle:
        corpus.write_corpus(handle, count, seed, images=images)

    out = io.StringIO()
    wall, cpu = time.perf_counter(), time.process_time()
    call_command("import_jsonl", str(path), stdout=out, **options)
    return LoadResult(
        count=count,
        seconds=time.perf_counter() - wall,
        cpu_seconds=time.process_time() - cpu,
        output=out.getvalue(),
    )


def mirror_to_local(dest):
    """Point the mirrors at one local directory with a fresh signing key, in this process
    and (through the environment) in the task worker a bench starts afterwards."""
    import json

    from django.conf import settings

    from masthead.mirrors.manifest import generate_keypair

    settings.MASTHEAD_MIRROR_TARGETS = {
        "local": {"BACKEND": "masthead.mirrors.targets.LocalDirectory", "PATH": str(dest)}
    }
    settings.MASTHEAD_MIRROR_SIGNING_KEY = generate_keypair()[0]
    os.environ["MASTHEAD_MIRROR_TARGETS"] = json.dumps(settings.MASTHEAD_MIRROR_TARGETS)
    os.environ["MASTHEAD_MIRROR_SIGNING_KEY"] = settings.MASTHEAD_MIRROR_SIGNING_KEY
