"""A progress bar for long-running commands: how far, how fast, how long still.

On a terminal the bar is redrawn in place; in a log (cron, systemd, CI) a
line is written now and then instead, so that a long job shows it is alive
without flooding the log. The command prints its own one-line summary at
the end.
"""

import sys
import time


def duration(seconds):
    """'42s', '3m 07s' or '1h 02m': short enough for a progress line."""
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


class Progress:
    """`with Progress(total, "Re-encrypting") as progress: progress.advance(n)`.

    The time left is the work left at the average rate so far.
    """

    WIDTH = 24
    # A terminal is redrawn at most this often; a log gets a line this often.
    REDRAW = 0.2
    LOG_EVERY = 10.0

    def __init__(self, total, label="", *, stream=None, unit=""):
        self.total = max(int(total), 0)
        self.label = label
        self.unit = unit
        # A management command's OutputWrapper ends every write with a newline,
        # which a bar redrawn in place cannot have: write to what it wraps.
        stream = stream or sys.stderr
        self.stream = getattr(stream, "_out", stream)
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.done = 0
        self.started = time.monotonic()
        self._shown = 0.0 if self.tty else self.started

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.finish()

    @property
    def elapsed(self):
        return time.monotonic() - self.started

    def relabel(self, label):
        self.label = label
        self._show(force=self.tty)

    def advance(self, count=1):
        self.done += count
        self._show()

    def line(self):
        rate = self.done / self.elapsed if self.elapsed > 0 else 0.0
        unit = f" {self.unit}" if self.unit else ""
        if self.total:
            share = min(self.done / self.total, 1.0)
            filled = int(share * self.WIDTH)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            left = (self.total - self.done) / rate if rate and self.done < self.total else 0
            return (
                f"{self.label} [{bar}] {share:4.0%} {self.done:,}/{self.total:,}{unit}"
                f"  {rate:,.0f}/s  {duration(left)} left"
            )
        return f"{self.label} {self.done:,}{unit}  {rate:,.0f}/s"

    def _show(self, force=False):
        now = time.monotonic()
        if self.tty:
            if force or now - self._shown >= self.REDRAW:
                self.stream.write("\r\033[K" + self.line())
                self.stream.flush()
                self._shown = now
        elif force or now - self._shown >= self.LOG_EVERY:
            self.stream.write(self.line() + "\n")
            self.stream.flush()
            self._shown = now

    def finish(self):
        """Show the last state; on a terminal, end the line the bar was on."""
        if self.tty:
            self._show(force=True)
            self.stream.write("\n")
            self.stream.flush()
        return self.elapsed
