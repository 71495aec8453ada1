"""Fixtures of the tests of the Python package normsim (run by ctest: tests/python/CMakeLists.txt).

The environment says where things are: NORMSIM_TEST_INPUTS (the files of the fixture "python: make
input files"), NORMSIM_EXECUTABLE, NORMSIM_SOURCE_DIR and NORMSIM_PYTHON_PATH (the staged package,
also on PYTHONPATH).
"""

import os
import shutil

import h5py
import numpy as np
import pytest


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run these tests with ctest -R 'python: ' (see "
                    "tests/python/CMakeLists.txt)")
    return value


@pytest.fixture(scope="session")
def inputs():
    """The directory of the test's HDF5 files (run.h5, noseries.h5, sweep.h5, attribution.h5,
    check.h5, check_design.h5, check_design.attribution.h5, discover.h5)."""
    return _env("NORMSIM_TEST_INPUTS")


@pytest.fixture(scope="session")
def source_dir():
    return _env("NORMSIM_SOURCE_DIR")


@pytest.fixture(scope="session")
def staged_dir():
    return _env("NORMSIM_PYTHON_PATH")


@pytest.fixture(scope="session")
def normsim_executable():
    return _env("NORMSIM_EXECUTABLE")


@pytest.fixture
def copy_of(inputs, tmp_path):
    """copy_of(name, edit): a copy of an input file in tmp_path, changed by edit(h5py.File)."""
    def make(name, edit):
        path = str(tmp_path / name)
        shutil.copyfile(os.path.join(inputs, name), path)
        with h5py.File(path, "r+") as f:
            edit(f)
        return path
    return make


def text(value) -> str:
    """An HDF5 string (bytes or str) as str."""
    return value.decode() if isinstance(value, bytes) else str(value)


def labels_of(ds) -> list:
    """The labels attribute of a categorical design dataset."""
    return [text(x) for x in np.atleast_1d(ds.attrs["labels"])]


def assert_same(a, b):
    """Arrays equal element by element, NaN equal to NaN, same shape."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape
    np.testing.assert_array_equal(a, b)
