"""Drive Debian's chromium headless on the verify page (shared by the verify page tests)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def need_chromium() -> str:
    if CHROMIUM is None:
        print("skip: chromium missing (apt-get install chromium)")
        pytest.skip("chromium missing (apt-get install chromium)")
    return CHROMIUM


@dataclass
class PageRun:
    dom: str
    page_requests: list[str]  # URLs the page itself asked for (netlog initiator is the page)

    def attr(self, name: str) -> str:
        match = re.search(rf'id="hasil"[^>]*\b{name}="([^"]*)"', self.dom)
        return match.group(1) if match else ""

    @property
    def verdict(self) -> str:
        return self.attr("data-hasil")

    @property
    def method(self) -> str:
        return self.attr("data-cara")

    @property
    def text(self) -> str:
        """The visible text of the result box, tags removed."""
        box = self.dom.split('id="hasil"', 1)[1].split("</section>", 1)[0]
        return re.sub(r"<[^>]+>", " ", box)


def open_page(page: Path, fragment: str, tmp: Path, *, no_webcrypto: bool = False) -> PageRun:
    """Load ``page#fragment`` headless; the DOM once scripts settled, and the page's requests."""
    netlog = tmp / f"net-{abs(hash((fragment, no_webcrypto)))}.json"
    query = "?tanpa-webcrypto" if no_webcrypto else ""
    url = f"{page.resolve().as_uri()}{query}#{fragment}"
    done = subprocess.run(
        [
            need_chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            f"--user-data-dir={tmp / 'profil'}",
            f"--log-net-log={netlog}",
            "--virtual-time-budget=5000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return PageRun(done.stdout, _page_requests(netlog))


def _page_requests(netlog: Path) -> list[str]:
    """Requests whose initiator is a page (the browser's own update checks say 'not an
    origin'); a file:// page's requests carry the initiator 'null'."""
    data = json.loads(netlog.read_text("utf-8"))
    start = data["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    found = []
    for event in data["events"]:
        params = event.get("params") or {}
        if (
            event["type"] == start
            and "url" in params
            and params.get("initiator") != "not an origin"
        ):
            found.append(params.get("url", ""))
    return found
