import io
from datetime import date

from django.core.management.base import OutputWrapper

from echo.progress import Progress, duration
from growth.management.commands.backfill_snapshots import months


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_terminal_sees_the_bar_the_rate_and_the_time_left():
    stream = Terminal()
    with Progress(200, "Seeding", stream=stream, unit="rows") as progress:
        progress.advance(50)
        progress._show(force=True)

    shown = stream.getvalue()
    assert "Seeding [######" in shown and "25%" in shown and "50/200 rows" in shown
    assert "/s" in shown and "left" in shown
    assert shown.endswith("\n") and "\r" in shown


def test_a_log_gets_no_line_for_quick_work():
    stream = io.StringIO()
    with Progress(10, "Quick", stream=stream) as progress:
        progress.advance(10)
    assert stream.getvalue() == ""


def test_a_commands_output_wrapper_is_written_through():
    stream = Terminal()
    progress = Progress(1, "x", stream=OutputWrapper(stream))
    progress.relabel("y")
    assert "\n" not in stream.getvalue()


def test_durations_read_short():
    assert [duration(s) for s in (4.4, 187, 3720)] == ["4s", "3m 07s", "1h 02m"]


def test_the_backfill_goes_a_month_at_a_time():
    assert list(months(date(2026, 1, 20), date(2026, 3, 5))) == [
        (date(2026, 1, 20), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 5)),
    ]
