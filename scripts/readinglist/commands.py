"""Contributor commands (check, add, search, classify): registered on the CLI."""

from __future__ import annotations


def register(sub, command, project) -> None:
    pass
