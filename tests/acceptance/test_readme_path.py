"""The README's path for AWS, run word for word against the emulator, ends on
a stream that plays in the demo player (issue 20).

The commands of the README block marked `<!-- aws-path ... -->` are run as
written, in order, by bash, from a copy of the repository's layout (the
examples copied, everything else linked, so nothing is written into the
repository's examples), with HOME in a temporary directory (so `make
install` and `~/.terraform.d` stay there) and the emulator as the AWS
account (AWS_ENDPOINT_URL and a key pair in the environment, as the README
says for credentials). Only the ways a script differs from a person at a
terminal are added around the commands, never inside them: the apply's
"yes" comes on stdin, the test card's `eval` line (which runs until Ctrl-C)
runs in the background, and the last line's output (the player URL) is
kept. Then headless Chromium opens that URL (mapped to the emulator's
edge): the picture moves and the renditions are the HD-720p ladder.

This plays video, so it runs with one client, dealt out after the two `make
demo` runs of test_examples.py: the first client found when there are two
(the README says `tofu`; for Terraform the word is replaced), the third
when there are three.
"""

import os
import re
import shutil
import signal
import subprocess
import sys

import pytest

from harness import REPO, available_clients, emulator_env

sys.path.insert(0, os.path.join(REPO, "tests", "tools"))
from emulator_inventory import inventory  # noqa: E402

HD_720P = [(1280, 720), (960, 540), (768, 432), (640, 360), (512, 288)]
CLIENTS = available_clients()
DEALT = CLIENTS[2 % len(CLIENTS)]


def readme_aws_commands():
    """The lines of the README's AWS block, as written."""
    with open(os.path.join(REPO, "README.md")) as f:
        text = f.read()
    m = re.search(r"<!-- aws-path[^>]*-->\n```sh\n(.*?)\n```", text, re.S)
    assert m, "README.md has no <!-- aws-path --> block"
    return m.group(1).splitlines()


def repository_copy(tmp_path):
    """tmp/repo: examples/ copied, every other top-level entry linked."""
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in os.listdir(REPO):
        if name == "examples":
            shutil.copytree(os.path.join(REPO, name), repo / name,
                            ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
        elif not name.startswith(".git"):
            os.symlink(os.path.join(REPO, name), repo / name)
    return repo


def script_of(lines, client):
    """The bash script: the README's lines verbatim (the client's name for
    `tofu` when the client is Terraform), the `eval` one in the background."""
    out = ["set -e"]
    for line in lines:
        if client[0] != "tofu":
            line = re.sub(r"\btofu\b", "terraform", line)
        if line.startswith("eval "):
            out.append(f"{line.split('  #')[0].rstrip()} >card.log 2>&1 &")
            out.append("echo $! > card.pid; sleep 2")
        else:
            out.append(line)
    # The last line prints the player URL: keep it.
    out[-1] = out[-1].split("  #")[0].rstrip() + " > player_url.txt"
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("client", [DEALT], ids=[DEALT[0]])
def test_readme_aws_path_word_for_word_plays(client, tmp_path, emulator):
    lines = readme_aws_commands()
    assert any(l.startswith("tofu apply") for l in lines), lines
    assert any(l.startswith('eval "$(tofu output -raw test_card_command)"') for l in lines), lines
    assert lines[-1].startswith("tofu output -raw player_url"), lines
    repo = repository_copy(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    bindir = tmp_path / "bin"
    bindir.mkdir()
    os.symlink(client[1], bindir / client[0])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "AWS_"))}
    env.update(emulator_env(emulator.url), HOME=str(home), CHECKPOINT_DISABLE="1",
               PATH=f"{bindir}:{env['PATH']}")
    example = repo / "examples" / "complete-s3"
    card = None
    try:
        run = subprocess.run(["bash", "-c", script_of(lines, client)], cwd=repo, env=env,
                             input="yes\n", stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, timeout=900)
        if (example / "card.pid").exists():
            card = int((example / "card.pid").read_text())
        assert run.returncode == 0, run.stdout
        assert (home / ".terraform.d" / "lsms.tfrc").exists()
        url = (example / "player_url.txt").read_text().strip()
        assert re.match(r"^https://[a-z0-9]+\.cloudfront\.net/player/index\.html$", url), url
        check = subprocess.run(
            [sys.executable, os.path.join(REPO, "tests", "tools", "player_check.py"), url,
             "--emulator", emulator.url, "--timeout", "150",
             "--screenshot", str(tmp_path / "player.png")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)
        card_log = (example / "card.log").read_text()[-1500:]
        assert check.returncode == 0, (check.stdout, check.stderr, card_log)
        assert '"reached": "playing"' in check.stdout, check.stdout
        sizes = re.findall(r'"width": (\d+),\s*"height": (\d+)', check.stdout)
        assert [(int(w), int(h)) for w, h in sizes] == HD_720P, check.stdout
    finally:
        if card:
            # The background `eval` (a subshell) and the ffmpeg it runs.
            subprocess.run(["pkill", "-TERM", "-P", str(card)])
            try:
                os.kill(card, signal.SIGTERM)
            except ProcessLookupError:
                pass
        if (example / ".terraform").exists():
            subprocess.run([client[1], "destroy", "-auto-approve", "-no-color"], cwd=example,
                           env=dict(env, TF_CLI_CONFIG_FILE=str(home / ".terraform.d" /
                                                                "lsms.tfrc")),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=900)
    assert not any(inventory(emulator.url).values()), inventory(emulator.url)
