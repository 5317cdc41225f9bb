"""compiler.builds.loader: a build's sources by identifier become one package named by the build id."""

from pathlib import Path

import pytest

from compiler.builds.loader import LoaderError, build_id_for, import_package, load_workflows

SOURCES = {"package-build": "class PackageBuild:\n    pass\n", "gate": "class Gate:\n    pass\n"}


def test_the_package_is_named_by_the_build_id_and_classes_follow_the_identifiers(tmp_path):
    workflows = load_workflows(SOURCES, tmp_path)
    assert {identifier: cls.__name__ for identifier, cls in workflows.items()} == {
        "gate": "Gate",
        "package-build": "PackageBuild",
    }
    package = tmp_path / f"wfgen_{build_id_for(SOURCES)}"
    assert sorted(path.name for path in package.glob("*.py")) == ["__init__.py", "gate.py", "package_build.py"]


def test_the_same_sources_reuse_the_package_and_a_changed_source_gets_a_new_one(tmp_path):
    first = import_package(SOURCES, tmp_path)
    assert import_package(dict(reversed(SOURCES.items())), tmp_path) == first
    changed = {**SOURCES, "gate": "class Gate:\n    changed = True\n"}
    assert load_workflows(changed, tmp_path)["gate"].changed
    assert len(list(tmp_path.glob("wfgen_*"))) == 2


def test_two_identifiers_that_share_a_module_are_refused(tmp_path):
    with pytest.raises(LoaderError, match="share a module name"):
        import_package({"a-b": "X = 1\n", "a_b": "X = 2\n"}, tmp_path)
    assert not list(tmp_path.glob("wfgen_*"))


def test_a_package_changed_on_disk_is_refused_not_imported(tmp_path):
    sources = {"gate": "X = 1\n"}
    import_package(sources, tmp_path)
    (tmp_path / f"wfgen_{build_id_for(sources)}" / "gate.py").write_text("X = 2\n")
    with pytest.raises(LoaderError, match="does not hold the expected source"):
        import_package(sources, tmp_path)


def test_a_build_generated_before_the_runtime_renamed_a_helper_still_loads(tmp_path):
    """Builds keep their sources: one deployed when error handlers called `reraise_cancellation` must load."""
    golden = (Path(__file__).resolve().parents[2] / "golden" / "error_edge.py").read_text()
    old_source = golden.replace("reraise_run_ending", "reraise_cancellation")
    assert old_source != golden
    workflow_class = load_workflows({"error-edge": old_source}, tmp_path)["error-edge"]
    assert workflow_class.__name__ == "ErrorEdge"
