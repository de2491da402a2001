"""The wheel carries the whole bundled knowledge base (a non-editable install must work)."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from .conftest import ROOT


@pytest.mark.slow
def test_wheel_contains_knowledge(tmp_path):
    out = tmp_path / "dist"
    proc = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0 and "No module named" in proc.stderr:
        pytest.skip("build backend not installed: " + proc.stderr.strip().splitlines()[-1])
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheel = next(out.glob("errdiag-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    source = sorted(p.relative_to(ROOT / "knowledge").as_posix() for p in (ROOT / "knowledge").rglob("*.yaml"))
    assert source, "no knowledge files in the checkout"
    missing = [s for s in source if f"errdiag/knowledge/{s}" not in names]
    assert not missing, missing[:10]
    assert "errdiag/cli.py" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names), "the MIT licence is not in the wheel"
