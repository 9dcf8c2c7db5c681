"""The sandbox's routes, one module per resource of the emulated API, and
``sandbox`` for the control endpoints (``/_sandbox/...``).

A resource module declares its operations on an :class:`Operations`; the app
asks it for an ``APIRouter`` answering the path spellings of its ``--paths``
mode (:mod:`..paths` says which, per operation).
"""

from fastapi import APIRouter

from ..paths import ROUTES, spellings


class Operations:
    """The operations of one resource: ``@operations("orders.create",
    status_code=201)`` registers a route function for an operation of
    :data:`..paths.ROUTES`; :meth:`router` gives the routes of a paths mode."""

    def __init__(self, tag):
        self.tag = tag
        self.registered = []

    def __call__(self, operation, **options):
        if operation not in ROUTES:
            raise KeyError(f"{operation!r} is not an operation of paths.ROUTES")

        def register(func):
            self.registered.append((operation, func, options))
            return func

        return register

    def router(self, mode):
        """An ``APIRouter`` with each operation under each spelling ``mode``
        answers; only the first spelling is in the OpenAPI document."""
        router = APIRouter(prefix="/v2", tags=[self.tag])
        for operation, func, options in self.registered:
            method = ROUTES[operation][0]
            for index, path in enumerate(spellings(operation, mode)):
                router.add_api_route(
                    path,
                    func,
                    methods=[method],
                    include_in_schema=index == 0,
                    **options,
                )
        return router
