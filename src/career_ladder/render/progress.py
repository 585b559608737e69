"""A progress bar on a terminal's stderr while a command reads many files."""

from __future__ import annotations

from typing import IO, Any

from career_ladder.render.output import console


class ProgressBar:
    """A bar on a terminal's stderr while a command reads files the store does not hold yet: only
    after `delay` seconds, so a warm run never draws one, and never on a pipe or file (noise in a log)."""

    def __init__(self, stream: IO[str], delay: float = 1.0) -> None:
        import time

        self._clock = time.monotonic
        self._stream = stream
        self._started = self._clock()
        self._delay = delay
        self._shown_at = 0.0
        self._bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        now = self._clock()
        if self._bar is None:
            if done >= total or now - self._started < self._delay or not self._stream.isatty():
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            # No refresh thread: the bar is drawn here, so worker processes are never forked beside a thread.
            self._bar = Progress(
                TextColumn("reading ladders"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console(self._stream),
                transient=True,
                auto_refresh=False,
            )
            self._task = self._bar.add_task("read", total=total)
            self._bar.start()
        if done >= total:
            self.close()
        elif now - self._shown_at >= 0.1:
            self._bar.update(self._task, completed=done, total=total)
            self._bar.refresh()
            self._shown_at = now

    def close(self) -> None:
        """Take the bar off the screen (also when the command fails or is interrupted)."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
