"""The one mutable thing in a worker: which compiled content it serves right now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from starlette.requests import Request

from smartmed.catalog.catalog import Catalog
from smartmed.catalog.clock import Clock
from smartmed.content.model import Library
from smartmed.settings import Settings


@dataclass
class ServiceState:
    settings: Settings
    catalog: Catalog
    now: Clock

    @property
    def library(self) -> Library:
        return self.catalog.library

    def today(self) -> dt.date:
        return self.catalog.site_today(self.now())

    def swap(self, library: Library) -> None:
        # One attribute assignment: a request sees the old catalog or the new, never a mix.
        self.catalog = Catalog(library, self.settings.base_url,
                               self.settings.response_cache_entries, self.now())


def current(request: Request) -> ServiceState:
    """The state of the app answering ``request`` (``app.state.service``, set by create_app)."""
    state: ServiceState = request.app.state.service
    return state
