#!/usr/bin/env python3
"""Re-runs the command line each licit manifest records and checks that
every output comes out byte-identical (the SHA-256 and size the manifest
gives), and that the inputs are the files the manifest hashed.

usage: rerun.py MANIFEST...     exit 0 when every output is reproduced

A manifest of a run that read standard input is re-run with STDIN_FILE
as standard input when the environment names one (its digest must be the
manifest's). The re-run writes its manifest where the first one was: it
must be the same, byte for byte. Each output is moved aside before the re-run, so a run that
writes nothing cannot pass (they are kept in a rerun.* folder in the run's
folder when the re-run fails)."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile


def digest(path):
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
            size += len(block)
    return size, h.hexdigest()


def check_files(where, files, cwd):
    bad = 0
    for f in files:
        if f["path"] == "-":
            continue
        got = digest(os.path.join(cwd, f["path"]))
        if got != (f["size"], f["sha256"]):
            print(f"{where}: {f['path']}: not the file the manifest hashed")
            bad += 1
    return bad


def rerun(name):
    with open(name, "rb") as f:
        raw = f.read()
    m = json.loads(raw)
    cwd = m["cwd"]
    bad = check_files(name, m["inputs"] + m["tables"], cwd)
    stdin = None
    if any(f["path"] == "-" for f in m["inputs"]):
        given = os.environ.get("STDIN_FILE")
        want = next(f for f in m["inputs"] if f["path"] == "-")
        if not given or digest(given) != (want["size"], want["sha256"]):
            print(f"{name}: read standard input: set STDIN_FILE to the same bytes")
            return 1
        stdin = open(given, "rb")
    outs = [f for f in m["outputs"] if f["path"] != "-"]
    piped = [f for f in m["outputs"] if f["path"] == "-"]
    aside = tempfile.mkdtemp(prefix="rerun.", dir=cwd)
    for i, f in enumerate(outs):
        p = os.path.join(cwd, f["path"])
        if os.path.exists(p):
            os.replace(p, os.path.join(aside, str(i)))
    env = dict(os.environ)
    for k in ("LICIT_CSV_ENGINE", "LICIT_DATA_DIR", "LICIT_SAFE_CSV", "LICIT_THREADS"):
        env.pop(k, None)
    env.update(m["env"])
    run = subprocess.run(m["argv"], cwd=cwd, env=env, stdin=stdin or subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    if run.returncode != 0:
        print(f"{name}: the re-run exited {run.returncode}")
        return 1
    for f in outs:
        got = digest(os.path.join(cwd, f["path"]))
        if got != (f["size"], f["sha256"]):
            print(f"{name}: {f['option']} {f['path']}: differs on the re-run")
            bad += 1
    for f in piped:
        got = (len(run.stdout), hashlib.sha256(run.stdout).hexdigest())
        if got != (f["size"], f["sha256"]):
            print(f"{name}: standard output differs on the re-run")
            bad += 1
    # a re-run that records its manifest in the same place writes the same one
    with open(name, "rb") as f:
        if f.read() != raw:
            print(f"{name}: the re-run's manifest differs")
            bad += 1
    shutil.rmtree(aside)
    if not bad:
        print(f"{name}: {m['tool']}: {len(m['outputs'])} output(s) byte-identical")
    return 1 if bad else 0


def main():
    if len(sys.argv) < 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    return 1 if sum(rerun(n) for n in sys.argv[1:]) else 0


if __name__ == "__main__":
    sys.exit(main())
