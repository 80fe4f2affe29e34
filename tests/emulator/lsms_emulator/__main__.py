"""Serves the emulator: `python -m lsms_emulator --port P --state-root DIR`.

Binds 127.0.0.1:P (P=0 picks a free port), creates the state directory
DIR/<port> holding `pid`, `port`, `url`, `server.log` and `requests.jsonl`,
redirects its own output to server.log and prints one line
`LSMS_EMULATOR_READY <url>` on the original stdout once it is serving, so the
`start` script knows the port and the state directory without racing.
"""

import argparse
import os
import signal
import sys
import threading

from werkzeug.serving import make_server


def main() -> int:
    parser = argparse.ArgumentParser(prog="lsms_emulator")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--state-root", required=True)
    args = parser.parse_args()

    # Import after argument parsing so `--help` stays fast; moto reads its
    # MOTO_* and INITIAL_NO_AUTH_ACTION_COUNT settings from the environment
    # at import time, which is how those knobs pass through.
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    from .app import make_app

    app = make_app()
    server = make_server(
        "127.0.0.1", args.port, app, threaded=True, request_handler=MotoRequestHandler
    )
    port = server.server_port
    url = f"http://127.0.0.1:{port}"
    app.set_url(url)
    state = os.path.join(args.state_root, str(port))
    os.makedirs(state, exist_ok=True)
    app.request_log_path = os.path.join(state, "requests.jsonl")
    open(app.request_log_path, "a").close()

    log = os.open(os.path.join(state, "server.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    ready = os.fdopen(os.dup(1), "w")
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)

    for name, value in (("pid", os.getpid()), ("port", port), ("url", url)):
        with open(os.path.join(state, name), "w") as f:
            f.write(f"{value}\n")

    def shutdown(signum, frame):
        # shutdown() blocks until serve_forever returns, so it must not run
        # on the thread that is inside serve_forever. The media plane's
        # encoders go first.
        from .media import PLANE

        def stop():
            PLANE.shutdown()
            server.shutdown()

        threading.Thread(target=stop, daemon=True).start()

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)

    print(f"LSMS_EMULATOR_READY {url}", file=ready, flush=True)
    ready.close()
    print(f"lsms emulator serving {url} (pid {os.getpid()})", flush=True)
    server.serve_forever()
    server.server_close()
    print("lsms emulator stopped", flush=True)
    # Everything lives in memory and the logs are flushed: skip the
    # interpreter's teardown of moto's modules, which takes over a second.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
