"""Refusals shared by the publication service and the outputs it calls.

The PDF renderer and the signer refuse too (a loopback portal address, an unreadable
certificate); they live below the service, so the error lives here, where both reach it.
"""


class PublicationError(Exception):
    """A decision cannot be published or corrected; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
