"""Runs a command and stops it when this process's stdin closes.

Swift tests start devchain and the fault proxy through this wrapper with a pipe on stdin: when the
test process exits, even by a crash, the pipe closes and the child is stopped instead of orphaned.

    python run_until_stdin_closes.py -- python -m devchain --port 0
"""

import os
import signal
import subprocess
import sys
import threading


def main(argv: list[str]) -> int:
    if "--" not in argv:
        print("usage: run_until_stdin_closes.py -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    command = argv[argv.index("--") + 1:]
    # Foundation's Process starts children with almost every signal blocked, SIGTERM included; a
    # blocked SIGTERM would leave this wrapper (and, inherited, its child) deaf to stop requests.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    # Write ends of other children's stdin pipes may have leaked into this process; holding them
    # would keep those children from ever seeing EOF.
    os.closerange(3, 65536)
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    signal.signal(signal.SIGTERM, lambda signum, frame: child.terminate())
    threading.Thread(target=lambda: (sys.stdin.read(), child.terminate()), daemon=True).start()
    try:
        return child.wait()
    finally:
        if child.poll() is None:
            child.kill()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
