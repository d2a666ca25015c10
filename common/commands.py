"""Shared behaviour of the file-importing management commands."""

from django.core.management.base import CommandError

from common.data_text import one_line


def reject_file(command, file: str, problems: list) -> CommandError:
    """The error for a rejected file, naming it: one problem in one line; several listed on stderr
    first, one line each. A problem is cut short where it would quote megabytes of the file."""
    if len(problems) == 1:
        return CommandError(f"{one_line(file)}: {one_line(problems[0])}; nothing was written.")
    for problem in problems:
        command.stderr.write(one_line(problem))
    return CommandError(f"{one_line(file)}: rejected, {len(problems)} problems (listed above); nothing was written.")
