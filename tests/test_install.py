"""`pip install .` and the sdist install jitbridge as Python users install packages, and the
installed copy (not this checkout) passes tests (issue 22).

The tracked files are copied to a scratch folder (building never writes into the checkout);
its sdist is built with the project's own build backend, installed without dependencies into
a virtual environment that sees this interpreter's numpy and llvmlite, and a test file runs
from a copy of `tests/` outside the checkout, so `import jitbridge` finds the installed copy.
`pip install .` (a wheel built from the folder) is checked the same way, marked slow."""
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import venv

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
#: run from the installed copy: signatures and dispatch, and the extension API
CHECKS = ["tests/test_signatures.py", "tests/extending/test_interval.py"]


def _environment() -> dict:
    drop = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "JITBRIDGE_CACHE_DIR"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def _run(args, cwd, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, text=True, capture_output=True,
                          timeout=timeout, env=_environment())


def _tracked_copy(target: pathlib.Path) -> pathlib.Path:
    listed = _run(["git", "ls-files", "-co", "--exclude-standard"], ROOT)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: the tracked files are unknown")
    for name in listed.stdout.splitlines():
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _venv(folder: pathlib.Path) -> pathlib.Path:
    venv.EnvBuilder(with_pip=False, system_site_packages=True).create(folder)
    return folder / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


#: pip's words for "the build requirements cannot be had here" (offline)
UNAVAILABLE = ("No matching distribution found", "Could not find a version",
               "NewConnectionError", "Temporary failure in name resolution",
               "Network is unreachable")


def _install(python: pathlib.Path, what, cwd) -> None:
    # (this interpreter's pip, pointed at the venv: with_pip=False saves seconds); the build
    # runs isolated, as for any user, with pyproject.toml's build requirements
    proc = _run([sys.executable, "-m", "pip", "--python", python, "install", "-q",
                 "--no-deps", what], cwd)
    if proc.returncode != 0 and any(words in proc.stderr for words in UNAVAILABLE):
        pytest.skip(f"the build requirements cannot be downloaded here: "
                    f"{proc.stderr.strip().splitlines()[-1]}")
    assert proc.returncode == 0, proc.stderr[-3000:]


def _run_checks(python: pathlib.Path, tests_home: pathlib.Path) -> None:
    where = _run([python, "-c", "import jitbridge; print(jitbridge.__file__)"], tests_home)
    assert where.returncode == 0, where.stderr
    assert pathlib.Path(where.stdout.strip()).is_relative_to(python.parent.parent), where.stdout
    proc = _run([python, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-o",
                 "addopts=", "-n", "0", *CHECKS], tests_home, timeout=600)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    base = tmp_path_factory.mktemp("install")
    source = _tracked_copy(base / "source")
    tests_home = base / "run"
    shutil.copytree(source / "tests", tests_home / "tests")
    shutil.copy2(source / "pyproject.toml", tests_home / "pyproject.toml")  # pytest's markers
    return base, source, tests_home


def _build_sdist(base: pathlib.Path, source: pathlib.Path) -> pathlib.Path:
    dist = base / "dist"
    if not dist.exists():
        built = _run([sys.executable, "-c", "import sys; from setuptools import build_meta; "
                      "print(build_meta.build_sdist(sys.argv[1]))", dist], source)
        assert built.returncode == 0, built.stderr[-3000:]
    (sdist,) = dist.glob("*.tar.gz")
    return sdist


def test_the_sdist_ships_the_package(scratch):
    """Every tracked module of the package, its type marker, license and readme."""
    base, source, _ = scratch
    sdist = _build_sdist(base, source)
    stem = sdist.name[:-len(".tar.gz")]
    with tarfile.open(sdist) as tar:
        names = {name[len(stem) + 1:] for name in tar.getnames()}
    package = {str(path.relative_to(source)) for path in (source / "jitbridge").rglob("*.py")}
    assert package and package <= names, sorted(package - names)[:10]
    assert {"LICENSE", "README.md", "pyproject.toml", "jitbridge/py.typed"} <= names


# (slow: a virtual environment, an isolated build and two test files, about 45 s each)
@pytest.mark.slow
def test_the_sdist_installs_and_passes_tests(scratch):
    base, source, tests_home = scratch
    python = _venv(base / "venv-sdist")
    _install(python, _build_sdist(base, source), base)
    _run_checks(python, tests_home)


@pytest.mark.slow
def test_pip_install_dot_installs_and_passes_tests(scratch):
    base, source, tests_home = scratch
    python = _venv(base / "venv-dot")
    _install(python, ".", source)
    _run_checks(python, tests_home)
