"""Runs a command and stops it when this process's stdin closes.

Swift tests start devchain and the fault proxy through this wrapper with a pipe on stdin: when the
test process exits, even by a crash, the pipe closes and the child is stopped instead of orphaned.

    python run_until_stdin_closes.py -- python -m devchain --port 0
"""

import os
import stat
import signal
import subprocess
import sys
import threading


def close_leaked_pipes() -> None:
    """Closes inherited pipe descriptors above stderr.

    Write ends of other children's stdin pipes may have leaked into this process; holding them would
    keep those children from ever seeing EOF. Sockets stay open: Foundation's Process watches its
    child through an inherited socket and takes its closing for the child's exit (then blocks in
    waitpid, stalling every later Process call of the parent).
    """
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd <= 2:
            continue
        try:
            if stat.S_ISFIFO(os.fstat(fd).st_mode):
                os.close(fd)
        except OSError:
            pass  # the descriptor of the listing itself, already closed


def main(argv: list[str]) -> int:
    if "--" not in argv:
        print("usage: run_until_stdin_closes.py -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    command = argv[argv.index("--") + 1:]
    # Foundation's Process starts children with almost every signal blocked, SIGTERM included; a
    # blocked SIGTERM would leave this wrapper (and, inherited, its child) deaf to stop requests.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    close_leaked_pipes()
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
