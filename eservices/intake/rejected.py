"""The refusal raised inside the pipeline's checks; free of Django, so that the bounded child process that runs
the structural parses (``eservices.core.sandbox``) starts fast. Codes and messages: :mod:`.reasons`."""


class Rejected(Exception):  # noqa: N818 - a verdict, not an error
    """Refuse a file with a code of ``reasons.MESSAGES`` and its parameters."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
