"""Errors every floor may raise and the faces turn into a clear page."""


class ServiceUnavailable(Exception):
    """A service the request needs (the document storage, ...) cannot be reached: nothing was recorded, the user
    is told so and may try again (``core.middleware.ServiceUnavailableMiddleware`` answers 503)."""
