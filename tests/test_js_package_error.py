"""A plain JavaScript Error thrown by an installed package's own code is answered as that package's (families
._thrown_by_package): the answer names the package and checks its release first."""

from __future__ import annotations

from pathlib import Path

import pytest

from errdiag import diagnose
from errdiag.kb import load_knowledge

IN_PACKAGE = """Error: File /srv/site/.next/static/ssr/466.js does not exist.
    at Job.emitDependency (/srv/site/node_modules/next/dist/compiled/@vercel/nft/index.js:1:39473)
    at async nodeFileTrace (/srv/site/node_modules/next/dist/compiled/@vercel/nft/index.js:1:35430)
"""

IN_USER_CODE = """Error: Missing STRIPE_KEY
    at loadConfig (/srv/shop/config.js:12:11)
    at Object.<anonymous> (/srv/shop/server.js:3:16)
"""


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)


def test_a_packages_own_error_names_the_package(kb):
    d = diagnose(IN_PACKAGE, kb).best
    assert d.id == "node.uncaught_error"
    assert "the npm package next" in d.entry.summary
    assert d.entry.quick_fixes[0].command == "npm ls next"


def test_an_error_thrown_by_the_users_code_stays_theirs(kb):
    d = diagnose(IN_USER_CODE, kb).best
    assert "npm package" not in d.entry.summary and d.captures.get("frame", "").startswith("/srv/shop/config.js")


def test_a_system_error_inside_a_package_is_the_machines(kb):
    d = diagnose("Error: connect ECONNREFUSED 127.0.0.1:6380\n"
                 "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)\n"
                 "    at Socket.<anonymous> (/srv/app/node_modules/some-client/lib/conn.js:88:12)", kb).best
    assert d.id == "node.network_error" and "npm package" not in d.entry.summary


def test_a_browser_consoles_uncaught_in_promise_keeps_its_frames(kb):
    d = diagnose("Uncaught (in promise) TypeError: Cannot read properties of undefined (reading 'map')\n"
                 "    at App (App.jsx:12:20)\n", kb).best
    assert d.id == "node.cannot_read_properties" and not d.generic and d.captures["frame_file"] == "App.jsx"
