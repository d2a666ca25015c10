"""Shared behaviour of the file-importing management commands."""

from django.core.management.base import CommandError


def reject_file(command, file: str, problems: list) -> CommandError:
    """The error for a rejected file: one problem in one line; several listed on stderr first."""
    if len(problems) == 1:
        return CommandError(f"{file}: {problems[0]}; nothing was written.")
    for problem in problems:
        command.stderr.write(str(problem))
    return CommandError(f"{file}: rejected, {len(problems)} problems (listed above); nothing was written.")
