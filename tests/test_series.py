"""The layout that serves several Odoo series from one tree (Odoo-free).

What differs by series is static XML in ``data/series/<series>/`` of each addon;
these checks keep those folders in step with each other and with the common
files, so that a series' file cannot forget a record another series has, and a
wheel's manifest gets exactly one series.
"""

import ast
import importlib.util
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ADDONS = (
    "delivery_sevensenders",
    "delivery_sevensenders_batch",
    "delivery_sevensenders_mrp",
)
SERIES = ("18.0", "19.0")


def manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())


def record_ids(path, model=None):
    """``{xml id: {field names}}`` of the records of an XML data file."""
    found = {}
    for record in ET.parse(path).getroot().iter("record"):
        if model and record.get("model") != model:
            continue
        found[record.get("id")] = {f.get("name") for f in record.iter("field")}
    return found


def series_dirs(addon):
    root = ROOT / addon / "data" / "series"
    return sorted(p for p in root.iterdir()) if root.is_dir() else []


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_versions_are_series_free(addon):
    """Odoo 18.0 and 19.0 both read x.y.z as their own (18.0.x.y.z, 19.0.x.y.z);
    a version with a series would make the other series skip the addon."""
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest(addon)["version"])


@pytest.mark.parametrize("addon", ADDONS)
def test_the_description_names_no_other_version(addon):
    """Odoo's Apps page shows the README (its description): an addon version
    named there is the manifest's, or it says another one than the addon has."""
    version = manifest(addon)["version"]
    texts = [ROOT / addon / "README.rst", *sorted((ROOT / addon / "readme").glob("*"))]
    for path in (p for p in texts if p.is_file()):
        for named in re.findall(r"`(\d+\.\d+\.\d+)`", path.read_text()):
            assert named == version, f"{path.name} names version {named}"


@pytest.mark.parametrize("addon", ADDONS)
def test_migration_folders_are_series_free(addon):
    folder = ROOT / addon / "migrations"
    for version in folder.iterdir() if folder.is_dir() else ():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version.name), version


@pytest.mark.parametrize(
    "addon", ["delivery_sevensenders", "delivery_sevensenders_batch"]
)
def test_every_series_has_the_same_files(addon):
    dirs = series_dirs(addon)
    assert [d.name for d in dirs] == list(SERIES)
    names = {d.name: sorted(f.name for f in d.iterdir()) for d in dirs}
    assert len({tuple(v) for v in names.values()}) == 1, names
    # and each one is loaded by the addon's data: a <function> names it
    loaded = set()
    for data in manifest(addon)["data"]:
        text = (ROOT / addon / data).read_text()
        if "_sevensenders_load_series_data" in text:
            loaded |= set(re.findall(r"'([a-z_]+\.xml)'", text))
    assert loaded == set(names[SERIES[0]])


@pytest.mark.parametrize(
    "addon", ["delivery_sevensenders", "delivery_sevensenders_batch"]
)
def test_every_server_action_gets_its_groups_on_every_series(addon):
    common = {}
    for data in manifest(addon)["data"]:
        if data.endswith(".xml"):
            common |= record_ids(ROOT / addon / data, "ir.actions.server")
    assert common
    for action, fields in common.items():
        assert not fields & {"groups_id", "group_ids"}, (action, "in the common file")
    for folder, field in zip(
        series_dirs(addon), ("groups_id", "group_ids"), strict=True
    ):
        grouped = record_ids(folder / "actions.xml", "ir.actions.server")
        assert set(grouped) == set(common), folder
        assert all(fields == {field} for fields in grouped.values()), folder


def test_the_groups_get_a_category_or_privilege_on_every_series():
    addon = ROOT / "delivery_sevensenders"
    common = record_ids(
        addon / "security" / "delivery_sevensenders_security.xml", "res.groups"
    )
    assert set(common) == {"group_sevensenders_user", "group_sevensenders_manager"}
    wanted = {"18.0": ("category_id", "users"), "19.0": ("privilege_id", "user_ids")}
    for folder in series_dirs("delivery_sevensenders"):
        groups = record_ids(folder / "security.xml", "res.groups")
        assert set(groups) == set(common)
        link, members = wanted[folder.name]
        assert all(link in fields for fields in groups.values()), folder
        assert members in groups["group_sevensenders_manager"], folder


def load_stamp():
    spec = importlib.util.spec_from_file_location(
        "stamp_series", ROOT / "tools" / "stamp_series.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_wheel_copy_gets_one_series(tmp_path):
    stamp = load_stamp()
    copy = tmp_path / "delivery_sevensenders"
    shutil.copytree(
        ROOT / "delivery_sevensenders",
        copy,
        ignore=shutil.ignore_patterns("static", "i18n", "tests"),
    )
    version = manifest("delivery_sevensenders")["version"]
    assert stamp.stamp(copy, "19.0") == f"19.0.{version}"
    stamped = ast.literal_eval((copy / "__manifest__.py").read_text())
    assert stamped["version"] == f"19.0.{version}"
    assert stamped["data"] == manifest("delivery_sevensenders")["data"]
    # a copy stamped once is refused a second series
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "stamp_series.py"), "18.0", str(copy)],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "not series-free" in result.stderr
