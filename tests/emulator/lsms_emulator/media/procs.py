"""The media plane's child processes (ffmpeg), and nothing else.

Every child is started here with PR_SET_PDEATHSIG, so the kernel kills it
when the emulator dies however it dies, and is recorded so `running()` can
say what is left (tests check that destroy leaves no media process; the
emulator's /_lsms/media/status lists them). The signal follows the death of
the parent *thread*, not process (prctl(2)), so every child is started from
one long-lived spawner thread: a request thread that starts the test card
ends right after its request.
"""

import ctypes
import os
import queue
import signal
import subprocess
import threading

_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True)
_lock = threading.Lock()
_children = {}  # pid -> (Popen, role)


def _die_with_parent():
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


_requests = queue.Queue()
_spawner = None


def _spawner_main():
    while True:
        args, kwargs, reply = _requests.get()
        try:
            reply.put((True, _spawn_here(args, **kwargs)))
        except BaseException as e:  # handed to the caller
            reply.put((False, e))


def spawn(args, role, log=None, env=None, stdin=None):
    """Starts `args` (ffmpeg) for `role` (a label such as "channel 123
    pipeline 0"); its stderr goes to `log` when given."""
    global _spawner
    with _lock:
        if _spawner is None:
            _spawner = threading.Thread(target=_spawner_main, name="media spawner", daemon=True)
            _spawner.start()
    reply = queue.Queue(maxsize=1)
    _requests.put((args, {"role": role, "log": log, "env": env, "stdin": stdin}, reply))
    ok, value = reply.get()
    if not ok:
        raise value
    return value


def _spawn_here(args, role, log=None, env=None, stdin=None):
    out = open(log, "ab") if log else subprocess.DEVNULL
    try:
        proc = subprocess.Popen(args, stdin=stdin if stdin is not None else subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=out, env=env,
                                preexec_fn=_die_with_parent, close_fds=True)
    finally:
        if log:
            out.close()
    with _lock:
        _children[proc.pid] = (proc, role)
    return proc


def stop(proc, grace=3.0):
    """Stops `proc` (SIGTERM, then SIGKILL after `grace` seconds) and waits."""
    if proc.poll() is None:
        try:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        except ProcessLookupError:
            pass
    forget(proc)


def forget(proc):
    with _lock:
        _children.pop(proc.pid, None)


def running():
    """[{"pid", "role", "cmd"}] of the children still alive."""
    with _lock:
        items = list(_children.items())
    alive = []
    for pid, (proc, role) in items:
        if proc.poll() is None:
            alive.append({"pid": pid, "role": role, "cmd": os.path.basename(proc.args[0])})
        else:
            forget(proc)
    return alive


def stop_all():
    with _lock:
        procs = [p for p, _ in _children.values()]
    for p in procs:
        stop(p, grace=1.0)
